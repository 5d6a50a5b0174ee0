// Pins down how zbarimg (zbar 0.23.92) hands back 8-bit QR data, since the round-trip tests
// depend on it: with --raw alone it guesses a character set and converts (short UTF-8 Latin
// text comes out wrong) and appends a newline; with -Sbinary the bytes come out unchanged and
// without a newline.
#include <gtest/gtest.h>

#include "channels/qr/image/external_decoders.h"
#include "channels/qr/image/qr_image.h"
#include "support/temp_directory.h"

namespace mpay::qr {
namespace {

std::string written_png(const mpay::testing::TempDirectory& directory, const std::string& name,
                        const std::string& text) {
  Result<PngImage> png = render_png(text, RenderOptions{});
  EXPECT_TRUE(png.ok());
  std::string path = directory.path() + "/" + name + ".png";
  testing::write_file(path, png.ok() ? png->bytes : "");
  return path;
}

TEST(ZbarimgCharset, BinaryKeepsTheExactBytesWithoutANewline) {
  mpay::testing::TempDirectory directory;
  for (std::string text : {"Café é", "上海面馆：付款", "284619370512648301"}) {
    std::string path = written_png(directory, "binary", text);
    EXPECT_EQ(testing::zbarimg_decode(path, true), std::optional<std::string>(text));
  }
}

TEST(ZbarimgCharset, WithoutBinaryItAppendsANewlineAndMayConvert) {
  mpay::testing::TempDirectory directory;
  std::string chinese = "上海面馆：付款";
  EXPECT_EQ(testing::zbarimg_decode(written_png(directory, "chinese", chinese), false),
            std::optional<std::string>(chinese + "\n"));
  std::optional<std::string> latin = testing::zbarimg_decode(written_png(directory, "latin", "Café é"), false);
  ASSERT_TRUE(latin.has_value());
  EXPECT_NE(*latin, "Café é\n") << "zbarimg no longer guesses wrong; the note in external_decoders.h is stale";
}

}  // namespace
}  // namespace mpay::qr
