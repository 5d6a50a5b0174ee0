#include "api/json_body.h"

#include <fmt/format.h>

#include <exception>
#include <limits>
#include <utility>

namespace mpay::api {

namespace {

using nlohmann::json;

// Builds the document like nlohmann's own DOM parser, but stops at the first duplicate key or at
// a nesting deeper than allowed. Returning false from a SAX event aborts the parse.
class StrictDocumentBuilder {
 public:
  explicit StrictDocumentBuilder(size_t depth_max) : depth_max_(depth_max) {}

  bool null() { return put(json(nullptr)); }
  bool boolean(bool value) { return put(json(value)); }
  bool number_integer(json::number_integer_t value) { return put(json(value)); }
  bool number_unsigned(json::number_unsigned_t value) { return put(json(value)); }
  bool number_float(json::number_float_t value, const json::string_t& text) {
    // nlohmann reads an integer beyond 64 bits as a double: it fits no integer field, and
    // rounding it would answer a question the client did not ask.
    if (text.find_first_of(".eE") == json::string_t::npos) {
      error_ = too_large("the integer is too large (it does not fit in 64 bits)");
      return false;
    }
    return put(json(value));
  }
  bool string(json::string_t& value) { return put(json(std::move(value))); }
  bool binary(json::binary_t& value) { return put(json(json::binary_t(std::move(value)))); }
  bool start_object(size_t) { return open(json::object()); }
  bool start_array(size_t) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& key) {
    json& object = *open_containers_.back();
    open_keys_.back() = key;
    if (object.contains(key)) {
      error_ = mpay::Error("json_duplicate_key", "duplicate object key", key);
      return false;
    }
    next_value_ = &object[key];  // inserting now makes later duplicates visible to contains()
    return true;
  }

  bool parse_error(size_t position, const std::string&, const nlohmann::detail::exception& cause) {
    if (cause.id == kNumberOverflow) {  // 1e400: beyond the range of a double
      error_ = too_large("the number is too large");
      return false;
    }
    error_ = mpay::Error("json_invalid", fmt::format("invalid JSON at byte {}: {}", position,
                                                     describe_syntax_error(cause.what())));
    return false;
  }

  json take_document() { return std::move(document_); }

 private:
  // nlohmann's out_of_range error for a number that does not fit a double.
  static constexpr int kNumberOverflow = 406;

  // The path of the value being read, as JsonObjectReader names fields: "expires_in_s",
  // "items[3].amount", "[0]"; empty for a number that is the whole document.
  std::string current_path() const {
    std::string path;
    for (size_t level = 0; level < open_containers_.size(); ++level) {
      const json& container = *open_containers_[level];
      if (container.is_object()) {
        if (!path.empty()) path += '.';
        path += open_keys_[level];
      } else {
        // An open child array or object is already the array's last element; the value being
        // read at the innermost level is not placed yet.
        bool innermost = level + 1 == open_containers_.size();
        path += fmt::format("[{}]", container.size() - (innermost ? 0 : 1));
      }
    }
    return path;
  }

  mpay::Error too_large(std::string message) const {
    return mpay::Error("json_number_out_of_range", std::move(message), current_path());
  }

 public:
  const mpay::Error& error() const { return error_; }

 private:
  // nlohmann's message ends with "; last read: '...'" which echoes client bytes (possibly
  // personal data, possibly invalid UTF-8); keep only the reason.
  static std::string describe_syntax_error(std::string_view what) {
    size_t start = what.find("syntax error");
    if (start == std::string_view::npos) return "syntax error";
    std::string_view reason = what.substr(start);
    size_t end = reason.find("; last read");
    return std::string(reason.substr(0, end));
  }

  bool open(json&& container) {
    if (open_containers_.size() + 1 > depth_max_) {
      error_ = mpay::Error("json_too_deep",
                           fmt::format("JSON nesting deeper than {} levels", depth_max_));
      return false;
    }
    json* placed = place(std::move(container));
    open_containers_.push_back(placed);
    open_keys_.emplace_back();
    return true;
  }

  bool close() {
    open_containers_.pop_back();
    open_keys_.pop_back();
    return true;
  }

  bool put(json&& value) {
    place(std::move(value));
    return true;
  }

  // Where a new value goes: the root, the end of the open array, or the slot made by key().
  // Pointers on open_containers_ stay valid: an array only grows while its child is closed.
  json* place(json&& value) {
    if (open_containers_.empty()) {
      document_ = std::move(value);
      return &document_;
    }
    json& parent = *open_containers_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    *next_value_ = std::move(value);
    return next_value_;
  }

  const size_t depth_max_;
  json document_;
  std::vector<json*> open_containers_;
  std::vector<std::string> open_keys_;  // per open container: an object's current key
  json* next_value_ = nullptr;
  mpay::Error error_;
};

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string describe_type(const json& value) {
  if (value.is_number_float()) return "a number with a fraction or exponent";
  if (value.is_number()) return "an integer";
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  return "null";
}

mpay::Error wrong_type(const std::string& field, const char* expected, const json& value) {
  return mpay::Error("json_wrong_type",
                     fmt::format("expected {}, got {}", expected, describe_type(value)), field);
}

mpay::Error missing_field(const std::string& field) {
  return mpay::Error("json_missing_field", "required field is missing", field);
}

mpay::Error out_of_range(const std::string& field, std::string message) {
  return mpay::Error("json_number_out_of_range", std::move(message), field);
}

mpay::Result<uint64_t> to_unsigned(const json& value, const std::string& field, uint64_t max) {
  if (value.is_number_float()) {
    return out_of_range(field, "expected an integer, got a number with a fraction or exponent");
  }
  if (value.is_number_unsigned()) {
    uint64_t number = value.get<uint64_t>();
    if (number > max) return out_of_range(field, fmt::format("must be at most {}", max));
    return number;
  }
  if (value.is_number_integer()) {
    int64_t number = value.get<int64_t>();
    if (number < 0) return out_of_range(field, "must not be negative");
    if (static_cast<uint64_t>(number) > max) {
      return out_of_range(field, fmt::format("must be at most {}", max));
    }
    return static_cast<uint64_t>(number);
  }
  return wrong_type(field, "an integer", value);
}

mpay::Result<int64_t> to_int64(const json& value, const std::string& field) {
  if (value.is_number_float()) {
    return out_of_range(field, "expected an integer, got a number with a fraction or exponent");
  }
  if (value.is_number_unsigned()) {
    uint64_t number = value.get<uint64_t>();
    if (number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return out_of_range(field,
                          fmt::format("must be at most {}", std::numeric_limits<int64_t>::max()));
    }
    return static_cast<int64_t>(number);
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  return wrong_type(field, "an integer", value);
}

}  // namespace

mpay::Result<nlohmann::json> parse_json_body(std::string_view body, size_t depth_max) {
  if (is_blank(body)) return mpay::Error("body_empty", "the request body is empty");
  StrictDocumentBuilder builder(depth_max);
  bool parsed = false;
  try {
    parsed = json::sax_parse(body.data(), body.data() + body.size(), &builder,
                             json::input_format_t::json, /*strict=*/true);
  } catch (const std::exception&) {
    // The SAX interface reports errors through parse_error; this is the library edge regardless.
    return mpay::Error("json_invalid", "invalid JSON");
  }
  if (!parsed) return builder.error();
  return builder.take_document();
}

JsonObjectReader::JsonObjectReader(const nlohmann::json& object, std::string path_prefix)
    : object_(object), path_prefix_(std::move(path_prefix)) {}

std::string JsonObjectReader::field_path(std::string_view key) const {
  if (path_prefix_.empty()) return std::string(key);
  return fmt::format("{}.{}", path_prefix_, key);
}

mpay::Result<const nlohmann::json*> JsonObjectReader::find(std::string_view key) {
  if (!object_.is_object()) {
    return mpay::Error("json_not_object",
                       fmt::format("expected an object, got {}", describe_type(object_)),
                       path_prefix_);
  }
  keys_read_.emplace(key);
  auto found = object_.find(std::string(key));
  if (found == object_.end()) return static_cast<const json*>(nullptr);
  return &*found;
}

mpay::Result<std::string> JsonObjectReader::checked_string(const nlohmann::json& value,
                                                           const std::string& field,
                                                           size_t chars_max) const {
  if (!value.is_string()) return wrong_type(field, "a string", value);
  const std::string& text = value.get_ref<const std::string&>();
  if (text.find('\0') != std::string::npos) {
    return mpay::Error("json_string_invalid", "string must not contain NUL", field);
  }
  size_t chars = 0;
  for (char byte : text) {
    if ((static_cast<unsigned char>(byte) & 0xC0) != 0x80) ++chars;  // not a continuation byte
  }
  if (chars > chars_max) {
    return mpay::Error("json_string_too_long",
                       fmt::format("string longer than {} characters", chars_max), field);
  }
  return text;
}

mpay::Result<std::string> JsonObjectReader::required_string(std::string_view key,
                                                            size_t chars_max) {
  auto value = find(key);
  if (!value.ok()) return value.error();
  if (*value == nullptr) return missing_field(field_path(key));
  return checked_string(**value, field_path(key), chars_max);
}

mpay::Result<std::optional<std::string>> JsonObjectReader::optional_string(std::string_view key,
                                                                           size_t chars_max) {
  auto value = find(key);
  if (!value.ok()) return value.error();
  if (*value == nullptr || (*value)->is_null()) return std::optional<std::string>();
  auto text = checked_string(**value, field_path(key), chars_max);
  if (!text.ok()) return text.error();
  return std::optional<std::string>(std::move(*text));
}

mpay::Result<int64_t> JsonObjectReader::required_int64(std::string_view key) {
  auto value = find(key);
  if (!value.ok()) return value.error();
  if (*value == nullptr) return missing_field(field_path(key));
  return to_int64(**value, field_path(key));
}

mpay::Result<std::optional<int64_t>> JsonObjectReader::optional_int64(std::string_view key) {
  auto value = find(key);
  if (!value.ok()) return value.error();
  if (*value == nullptr || (*value)->is_null()) return std::optional<int64_t>();
  auto number = to_int64(**value, field_path(key));
  if (!number.ok()) return number.error();
  return std::optional<int64_t>(*number);
}

mpay::Result<std::optional<uint64_t>> JsonObjectReader::unsigned_in_range(std::string_view key,
                                                                          uint64_t max) {
  auto value = find(key);
  if (!value.ok()) return value.error();
  if (*value == nullptr || (*value)->is_null()) return std::optional<uint64_t>();
  auto number = to_unsigned(**value, field_path(key), max);
  if (!number.ok()) return number.error();
  return std::optional<uint64_t>(*number);
}

mpay::Result<std::optional<uint64_t>> JsonObjectReader::optional_uint64(std::string_view key) {
  return unsigned_in_range(key, std::numeric_limits<uint64_t>::max());
}

mpay::Result<std::optional<uint32_t>> JsonObjectReader::optional_uint32(std::string_view key) {
  auto number = unsigned_in_range(key, std::numeric_limits<uint32_t>::max());
  if (!number.ok()) return number.error();
  if (!*number) return std::optional<uint32_t>();
  return std::optional<uint32_t>(static_cast<uint32_t>(**number));
}

mpay::Result<std::optional<uint16_t>> JsonObjectReader::optional_uint16(std::string_view key) {
  auto number = unsigned_in_range(key, std::numeric_limits<uint16_t>::max());
  if (!number.ok()) return number.error();
  if (!*number) return std::optional<uint16_t>();
  return std::optional<uint16_t>(static_cast<uint16_t>(**number));
}

mpay::Result<std::vector<std::string>> JsonObjectReader::optional_string_array(std::string_view key,
                                                                               size_t chars_max) {
  auto value = find(key);
  if (!value.ok()) return value.error();
  std::vector<std::string> strings;
  if (*value == nullptr || (*value)->is_null()) return strings;
  std::string field = field_path(key);
  if (!(*value)->is_array()) return wrong_type(field, "an array of strings", **value);
  strings.reserve((*value)->size());
  for (size_t i = 0; i < (*value)->size(); ++i) {
    auto text = checked_string((**value)[i], fmt::format("{}[{}]", field, i), chars_max);
    if (!text.ok()) return text.error();
    strings.push_back(std::move(*text));
  }
  return strings;
}

mpay::Result<bool> JsonObjectReader::optional_bool(std::string_view key, bool fallback) {
  auto value = find(key);
  if (!value.ok()) return value.error();
  if (*value == nullptr || (*value)->is_null()) return fallback;
  if (!(*value)->is_boolean()) return wrong_type(field_path(key), "a boolean", **value);
  return (*value)->get<bool>();
}

mpay::Result<const nlohmann::json*> JsonObjectReader::optional_value(std::string_view key) {
  auto value = find(key);
  if (!value.ok()) return value.error();
  if (*value != nullptr && (*value)->is_null()) return static_cast<const json*>(nullptr);
  return *value;
}

mpay::Status JsonObjectReader::reject_unknown_fields() const {
  if (!object_.is_object()) {
    return mpay::Error("json_not_object",
                       fmt::format("expected an object, got {}", describe_type(object_)),
                       path_prefix_);
  }
  for (const auto& [key, value] : object_.items()) {
    if (keys_read_.find(key) == keys_read_.end()) {
      return mpay::Error("json_unknown_field", "unknown field", field_path(key));
    }
  }
  return mpay::ok_status();
}

mpay::Status read_empty_body(std::string_view body) {
  if (body.empty()) return mpay::ok_status();
  return read_json_object(body, [](JsonObjectReader&) { return mpay::ok_status(); });
}

}  // namespace mpay::api
