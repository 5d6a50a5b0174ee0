#include <gtest/gtest.h>

#include "channels/qr/emv/error_codes.h"
#include "channels/qr/emv/tlv.h"
#include "payload_test_support.h"

namespace mpay::qr {
namespace {

using test::expect_error;

TEST(Tlv, ReadsObjectsInOrder) {
  auto objects = read_data_objects("000201""5907EMPRESA""9903abc");
  ASSERT_TRUE(objects.ok()) << objects.error().code;
  ASSERT_EQ(objects->size(), 3u);
  EXPECT_EQ((*objects)[0], (DataObject{"00", "01"}));
  EXPECT_EQ((*objects)[1], (DataObject{"59", "EMPRESA"}));
  EXPECT_EQ((*objects)[2], (DataObject{"99", "abc"}));
}

TEST(Tlv, LengthCountsCharactersNotBytes) {
  // "最佳运输" is 4 characters and 12 bytes.
  auto objects = read_data_objects("0104最佳运输0202北京", "64");
  ASSERT_TRUE(objects.ok()) << objects.error().code;
  ASSERT_EQ(objects->size(), 2u);
  EXPECT_EQ((*objects)[0].value, "最佳运输");
  EXPECT_EQ((*objects)[1].value, "北京");
}

TEST(Tlv, WriterCountsCharacters) {
  std::string out;
  ASSERT_TRUE(append_data_object(&out, "01", "最佳运输").ok());
  EXPECT_EQ(out, "0104最佳运输");
}

TEST(Tlv, RejectsNonDigitIdAndLength) {
  expect_error(read_data_objects("A10201"), error_code::kIdInvalid, "");
  expect_error(read_data_objects("0A0201", "62"), error_code::kIdInvalid, "62");
  expect_error(read_data_objects("00X101"), error_code::kLengthInvalid, "00");
  expect_error(read_data_objects("0000"), error_code::kLengthInvalid, "00");
}

TEST(Tlv, RejectsTruncation) {
  expect_error(read_data_objects("000"), error_code::kPayloadTruncated, "");
  expect_error(read_data_objects("0005abc"), error_code::kPayloadTruncated, "00");
  expect_error(read_data_objects("0105最佳", "64"), error_code::kTemplateTruncated, "64.01");
}

TEST(Tlv, RejectsInvalidUtf8) {
  expect_error(read_data_objects("0002\xC3\x28"), error_code::kUtf8Invalid, "");
  expect_error(read_data_objects("0003\xED\xA0\x80"), error_code::kUtf8Invalid, "");  // a surrogate
  expect_error(read_data_objects("0002\xC0\xAF"), error_code::kUtf8Invalid, "");      // overlong '/'
}

TEST(Tlv, WriterRefusesBadValues) {
  std::string out;
  expect_error(append_data_object(&out, "59", ""), error_code::kFieldLengthInvalid, "59");
  expect_error(append_data_object(&out, "07", std::string(100, 'x'), "62"), error_code::kFieldLengthInvalid, "62.07");
  expect_error(append_data_object(&out, "5", "x"), error_code::kIdInvalid, "");
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(append_data_object(&out, "99", std::string(99, 'x')).ok());
  EXPECT_EQ(out.substr(0, 4), "9999");
}

TEST(Tlv, DuplicateIds) {
  auto objects = read_data_objects("0102ab0102cd", "26");
  ASSERT_TRUE(objects.ok());
  expect_error(check_unique_ids(*objects, "26"), error_code::kDuplicateId, "26.01");
}

}  // namespace
}  // namespace mpay::qr
