// Generic EMV data objects (TLV): a 2-digit ID, a 2-digit length, then the value.
//
// What: the reader and writer every other part of the codec uses, at the root of a payload and
// inside templates. Lengths count characters (Unicode code points), not bytes: "64" with Chinese
// text has a length smaller than its byte count. IDs and lengths are ASCII digits; a length is
// 01..99 (limits.h).
// Threads: values and pure functions; thread-safe. A DataObjectReader is used by one thread.
// Failure: errors as values, never exceptions. Codes (error_codes.h): qr_utf8_invalid (the writer
// and read_data_objects check it; DataObjectReader requires valid UTF-8), qr_id_invalid,
// qr_length_invalid, qr_payload_truncated (root) or qr_template_truncated (inside a template),
// qr_duplicate_id (check_unique_ids), qr_field_length_invalid (writer: value of 0 or > 99 characters).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace mpay::qr {

struct DataObject {
  std::string id;     // two digits, "00".."99"
  std::string value;  // UTF-8, 1..99 characters

  friend bool operator==(const DataObject&, const DataObject&) = default;
};

// The name of a data object for Error::field: "59" at the root, "62.07" inside template 62.
std::string field_name(std::string_view parent_id, std::string_view id);

// Reads data objects one after another from valid UTF-8 text. `parent_id` is empty at the root and
// the template's ID inside a template (it selects the truncation code and prefixes Error::field).
class DataObjectReader {
 public:
  DataObjectReader(std::string_view text, std::string parent_id);

  bool at_end() const { return offset_bytes_ >= text_.size(); }
  size_t offset_bytes() const { return offset_bytes_; }  // where the next data object starts
  Result<DataObject> next();

 private:
  std::string_view text_;
  std::string parent_id_;
  size_t offset_bytes_ = 0;
};

// Every data object of `text` (a template's value, or a payload root without special handling of
// the CRC). Checks UTF-8 first. Does not reject duplicate IDs: see check_unique_ids.
Result<std::vector<DataObject>> read_data_objects(std::string_view text, std::string_view parent_id = {});

// qr_duplicate_id (Error::field = the repeated ID, under `parent_id`) if an ID occurs twice.
Status check_unique_ids(const std::vector<DataObject>& objects, std::string_view parent_id = {});

// Appends ID, length and value to *out. Refuses an ID that is not two digits (qr_id_invalid), a value
// that is not UTF-8 (qr_utf8_invalid) or of 0 or more than 99 characters (qr_field_length_invalid).
// `parent_id` only names the field in errors.
Status append_data_object(std::string* out, std::string_view id, std::string_view value,
                          std::string_view parent_id = {});

}  // namespace mpay::qr
