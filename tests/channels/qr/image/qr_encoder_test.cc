#include <gtest/gtest.h>

#include <string>

#include "channels/qr/image/qr_image.h"

namespace mpay::qr {
namespace {

TEST(EncodeQr, EighteenDigitsStayNumericAndFitVersionOne) {
  // In 8-bit mode 18 digits need version 2 at level M; numeric mode fits them in version 1.
  Result<QrMatrix> matrix = encode_qr("284619370512648301", ErrorCorrection::medium);
  ASSERT_TRUE(matrix.ok());
  EXPECT_EQ(matrix->version, 1);
  EXPECT_EQ(matrix->width_modules, 21);
  EXPECT_EQ(matrix->dark.size(), 21u * 21u);
}

TEST(EncodeQr, HigherLevelsNeedLargerSymbols) {
  std::string text(100, 'x');
  Result<QrMatrix> low = encode_qr(text, ErrorCorrection::low);
  Result<QrMatrix> high = encode_qr(text, ErrorCorrection::high);
  ASSERT_TRUE(low.ok() && high.ok());
  EXPECT_LT(low->version, high->version);
  EXPECT_EQ(high->level, ErrorCorrection::high);
  EXPECT_EQ(low->width_modules, 17 + 4 * low->version);
}

TEST(EncodeQr, FinderPatternCornersAreDark) {
  Result<QrMatrix> matrix = encode_qr("hello", ErrorCorrection::medium);
  ASSERT_TRUE(matrix.ok());
  int32_t last = matrix->width_modules - 1;
  EXPECT_TRUE(matrix->is_dark(0, 0));
  EXPECT_TRUE(matrix->is_dark(last, 0));
  EXPECT_TRUE(matrix->is_dark(0, last));
  EXPECT_FALSE(matrix->is_dark(7, 7));  // the separator around the top-left finder
}

TEST(EncodeQr, EmptyTextIsRejected) {
  Result<QrMatrix> matrix = encode_qr("", ErrorCorrection::low);
  ASSERT_FALSE(matrix.ok());
  EXPECT_EQ(matrix.error().code, "qr_text_empty");
}

TEST(EncodeQr, TextBeyondVersionFortyIsRejected) {
  // 2953 bytes is the 8-bit capacity of version 40 at level L; at H it is 1273.
  EXPECT_TRUE(encode_qr(std::string(2953, 'x'), ErrorCorrection::low).ok());
  Result<QrMatrix> over_low = encode_qr(std::string(2954, 'x'), ErrorCorrection::low);
  ASSERT_FALSE(over_low.ok());
  EXPECT_EQ(over_low.error().code, "qr_text_too_long");
  Result<QrMatrix> over_high = encode_qr(std::string(1274, 'x'), ErrorCorrection::high);
  ASSERT_FALSE(over_high.ok());
  EXPECT_EQ(over_high.error().code, "qr_text_too_long");
  Result<QrMatrix> over_limit = encode_qr(std::string(text_bytes_max + 1, '1'), ErrorCorrection::low);
  ASSERT_FALSE(over_limit.ok());
  EXPECT_EQ(over_limit.error().code, "qr_text_too_long");
}

TEST(EncodeQr, TextWithNulBytesSurvivesTheRoundTrip) {
  std::string text("pay\0me", 6);
  Result<PngImage> png = render_png(text, RenderOptions{});
  ASSERT_TRUE(png.ok());
  Result<std::string> back = decode_qr_png(png->bytes);
  ASSERT_TRUE(back.ok()) << back.error().code;
  EXPECT_EQ(*back, text);
}

TEST(ErrorCorrectionLetters, RoundTripAndRejectOthers) {
  for (std::string_view letter : {"L", "M", "Q", "H"}) {
    std::optional<ErrorCorrection> level = error_correction_from_letter(letter);
    ASSERT_TRUE(level.has_value());
    EXPECT_EQ(error_correction_letter(*level), letter);
  }
  EXPECT_FALSE(error_correction_from_letter("m").has_value());
  EXPECT_FALSE(error_correction_from_letter("").has_value());
  EXPECT_FALSE(error_correction_from_letter("LL").has_value());
}

}  // namespace
}  // namespace mpay::qr
