#include "channels/qr/emv/tlv.h"

#include <set>
#include <utility>

#include "channels/qr/emv/character_rules_internal.h"
#include "channels/qr/emv/error_codes.h"
#include "channels/qr/emv/limits.h"
#include "channels/qr/emv/utf8_text_internal.h"

namespace mpay::qr {
namespace {

Error make_error(std::string_view code, std::string message, std::string field) {
  return Error(std::string(code), std::move(message), std::move(field));
}

}  // namespace

std::string field_name(std::string_view parent_id, std::string_view id) {
  if (parent_id.empty()) return std::string(id);
  std::string name(parent_id);
  name.push_back('.');
  name.append(id);
  return name;
}

DataObjectReader::DataObjectReader(std::string_view text, std::string parent_id)
    : text_(text), parent_id_(std::move(parent_id)) {}

Result<DataObject> DataObjectReader::next() {
  std::string_view truncated_code =
      parent_id_.empty() ? error_code::kPayloadTruncated : error_code::kTemplateTruncated;
  std::string_view rest = text_.substr(offset_bytes_);
  // ID and length are ASCII digits, so their characters are bytes; anything else is refused below.
  if (rest.size() < kIdCharacters + kLengthCharacters) {
    return make_error(truncated_code, "the data ends inside an ID or a length", parent_id_);
  }
  std::string_view id = rest.substr(0, kIdCharacters);
  if (!internal::id_number(id)) {
    return make_error(error_code::kIdInvalid,
                      "an ID is not two digits at character offset " +
                          std::to_string(internal::count_characters(text_.substr(0, offset_bytes_))),
                      parent_id_);
  }
  std::string field = field_name(parent_id_, id);
  std::string_view length_text = rest.substr(kIdCharacters, kLengthCharacters);
  std::optional<int> length = internal::id_number(length_text);
  if (!length || *length < static_cast<int>(kValueCharactersMin)) {
    return make_error(error_code::kLengthInvalid, "a length is not two digits between 01 and 99", field);
  }
  std::string_view after_header = rest.substr(kIdCharacters + kLengthCharacters);
  size_t value_bytes = internal::bytes_of_characters(after_header, static_cast<size_t>(*length));
  if (value_bytes == std::string_view::npos) {
    return make_error(truncated_code, "the data ends inside a value", field);
  }
  DataObject object{std::string(id), std::string(after_header.substr(0, value_bytes))};
  offset_bytes_ += kIdCharacters + kLengthCharacters + value_bytes;
  return object;
}

Result<std::vector<DataObject>> read_data_objects(std::string_view text, std::string_view parent_id) {
  if (!internal::is_valid_utf8(text)) {
    return make_error(error_code::kUtf8Invalid, "not well-formed UTF-8", std::string(parent_id));
  }
  std::vector<DataObject> objects;
  DataObjectReader reader(text, std::string(parent_id));
  while (!reader.at_end()) {
    Result<DataObject> object = reader.next();
    if (!object.ok()) return object.error();
    objects.push_back(std::move(object).value());
  }
  return objects;
}

Status check_unique_ids(const std::vector<DataObject>& objects, std::string_view parent_id) {
  std::set<std::string_view> seen;
  for (const DataObject& object : objects) {
    if (!seen.insert(object.id).second) {
      return make_error(error_code::kDuplicateId, "an ID occurs twice", field_name(parent_id, object.id));
    }
  }
  return ok_status();
}

Status append_data_object(std::string* out, std::string_view id, std::string_view value,
                          std::string_view parent_id) {
  if (!internal::id_number(id)) {
    return make_error(error_code::kIdInvalid, "an ID is not two digits", std::string(parent_id));
  }
  std::string field = field_name(parent_id, id);
  if (!internal::is_valid_utf8(value)) {
    return make_error(error_code::kUtf8Invalid, "a value is not well-formed UTF-8", field);
  }
  size_t characters = internal::count_characters(value);
  if (characters < kValueCharactersMin || characters > kValueCharactersMax) {
    return make_error(error_code::kFieldLengthInvalid, "a value must have 1 to 99 characters", field);
  }
  out->append(id);
  out->append(internal::id_text(static_cast<int>(characters)));
  out->append(value);
  return ok_status();
}

}  // namespace mpay::qr
