// Strict JSON for request bodies, and a field reader that turns every mistake in a client's object
// into a precise 400 error (code plus the dotted path of the field at fault).
//
// parse_json_body rejects what nlohmann-json would otherwise accept silently: duplicate keys (it
// keeps the last one; a signed request could then mean two things), unbounded nesting. Error codes:
// body_empty, json_invalid (syntax or invalid UTF-8; the message names the byte position),
// json_duplicate_key (field = the key), json_too_deep, json_number_out_of_range (field = the
// path of the number: an integer beyond 64 bits, such as 99999999999999999999, or a number beyond
// the range of a double, such as 1e400; no field of the API can hold either).
//
// JsonObjectReader reads fields of one object and remembers which keys were asked for, so that
// reject_unknown_fields() can refuse typos and fields a client expects to matter. Error codes:
// json_not_object, json_missing_field, json_wrong_type, json_number_out_of_range (also for numbers
// with a fraction or exponent where an integer is expected, and negatives for unsigned fields),
// json_string_too_long, json_string_invalid (embedded NUL), json_unknown_field. A null value
// counts as absent for optional_* readers and as the wrong type for required_* readers. Field
// paths join the prefix and the key with "." ("[3].amount", "payer.phone").
//
// Threads: parse_json_body is pure. A JsonObjectReader is used by one thread and must not outlive
// the json value it reads. Never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_limits.h"
#include "core/error.h"

namespace mpay::api {

mpay::Result<nlohmann::json> parse_json_body(std::string_view body,
                                             size_t depth_max = kJsonDepthMaxDefault);

class JsonObjectReader {
 public:
  // If `object` is not a JSON object every reader returns json_not_object.
  explicit JsonObjectReader(const nlohmann::json& object, std::string path_prefix = "");

  // Lengths are counted in Unicode code points (parse_json_body has already checked the UTF-8).
  mpay::Result<std::string> required_string(std::string_view key,
                                            size_t chars_max = kJsonStringCharsMaxDefault);
  mpay::Result<std::optional<std::string>> optional_string(
      std::string_view key, size_t chars_max = kJsonStringCharsMaxDefault);
  mpay::Result<int64_t> required_int64(std::string_view key);
  mpay::Result<std::optional<int64_t>> optional_int64(std::string_view key);
  mpay::Result<std::optional<uint64_t>> optional_uint64(std::string_view key);
  mpay::Result<std::optional<uint32_t>> optional_uint32(std::string_view key);
  mpay::Result<std::optional<uint16_t>> optional_uint16(std::string_view key);
  // Absent or null = empty vector.
  mpay::Result<std::vector<std::string>> optional_string_array(
      std::string_view key, size_t chars_max = kJsonStringCharsMaxDefault);
  mpay::Result<bool> optional_bool(std::string_view key, bool fallback);
  // The raw value for nested objects and arrays (read them with a reader whose prefix is
  // field_path(key)); null when absent. Marks the key as read.
  mpay::Result<const nlohmann::json*> optional_value(std::string_view key);

  // After reading: the first key (in sorted order) that no reader asked for is an error.
  mpay::Status reject_unknown_fields() const;

  // The dotted path of `key` under this reader's prefix, as used in error fields.
  std::string field_path(std::string_view key) const;

 private:
  // The value under `key`, or null when absent or JSON null; marks the key as read.
  mpay::Result<const nlohmann::json*> find(std::string_view key);
  mpay::Result<std::optional<uint64_t>> unsigned_in_range(std::string_view key, uint64_t max);
  mpay::Result<std::string> checked_string(const nlohmann::json& value, const std::string& field,
                                           size_t chars_max) const;

  const nlohmann::json& object_;
  std::string path_prefix_;
  std::set<std::string, std::less<>> keys_read_;
};

// Parses `body` as one JSON object, lets `read` (a callable taking JsonObjectReader&, returning
// Status) take its fields, then refuses the fields it did not ask for.
template <typename Read>
mpay::Status read_json_object(std::string_view body, Read read) {
  mpay::Result<nlohmann::json> json = parse_json_body(body);
  if (!json.ok()) return json.error();
  JsonObjectReader reader(*json);
  mpay::Status status = read(reader);
  if (!status.ok()) return status;
  return reader.reject_unknown_fields();
}

// The body of a POST that takes no fields: empty, or an empty JSON object. Anything else is the
// error of read_json_object (json_invalid, json_not_object, json_unknown_field, ...), so that a
// client who thinks a field matters learns that it does not before anything changes.
mpay::Status read_empty_body(std::string_view body);

}  // namespace mpay::api

// Moves a reader's result into `target`, or returns its error from the enclosing function.
#define MPAY_READ(target, expression)        \
  do {                                       \
    auto value_ = (expression);              \
    if (!value_.ok()) return value_.error(); \
    target = std::move(value_).value();      \
  } while (false)
