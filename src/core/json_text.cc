#include "core/json_text.h"

#include <nlohmann/json.hpp>

namespace mpay {

void append_json_string(std::string& out, std::string_view text) {
  constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char byte : text) {
    if (byte >= 0x80) {
      // UTF-8, valid or not: nlohmann's serializer decides, as the tree views' dump would.
      out += nlohmann::json(std::string(text)).dump(-1, ' ', false,
                                                    nlohmann::json::error_handler_t::replace);
      return;
    }
  }
  out += '"';
  size_t run = 0;  // start of the characters not yet appended that need no escape
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[(c >> 4) & 0xF];
        out += kHex[c & 0xF];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

JsonObjectText::JsonObjectText(std::string& out) : out_(out) { out_ += '{'; }

void JsonObjectText::key(std::string_view name) {
  if (!first_) out_ += ',';
  first_ = false;
  out_ += '"';
  out_ += name;
  out_ += "\":";
}

JsonObjectText& JsonObjectText::string(std::string_view key_name, std::string_view value) {
  key(key_name);
  append_json_string(out_, value);
  return *this;
}

JsonObjectText& JsonObjectText::integer(std::string_view key_name, int64_t value) {
  key(key_name);
  out_ += std::to_string(value);
  return *this;
}

JsonObjectText& JsonObjectText::null(std::string_view key_name) {
  key(key_name);
  out_ += "null";
  return *this;
}

std::string& JsonObjectText::value_of(std::string_view key_name) {
  key(key_name);
  return out_;
}

void JsonObjectText::close() { out_ += '}'; }

}  // namespace mpay
