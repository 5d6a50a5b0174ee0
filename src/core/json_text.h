// JSON written straight into a string, for the views answered on every payment: no tree of maps
// and strings built only to be walked once by dump(). Writes what nlohmann's
// dump(-1, ' ', false, error_handler_t::replace) writes for the same value (compact, non-ASCII
// kept, invalid UTF-8 replaced by U+FFFD), so either may produce a view; the views' tests compare
// the two byte for byte. Members come out in the order they are added: add them in nlohmann's
// (sorted by key) to match its output.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mpay {

// Appends `text` as a JSON string, quotes included.
void append_json_string(std::string& out, std::string_view text);

// One object, from '{' (at construction) to '}' (close()). Keys are mpay's own names: written
// unescaped, so they must need no escaping.
class JsonObjectText {
 public:
  explicit JsonObjectText(std::string& out);
  JsonObjectText& string(std::string_view key, std::string_view value);
  JsonObjectText& integer(std::string_view key, int64_t value);
  JsonObjectText& null(std::string_view key);
  // Starts a member whose value the caller writes next into the same string.
  std::string& value_of(std::string_view key);
  void close();

 private:
  void key(std::string_view name);

  std::string& out_;
  bool first_ = true;
};

}  // namespace mpay
