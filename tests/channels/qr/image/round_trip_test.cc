// Every image decodes back to exactly its payload with independent decoders: zbarimg on the PNG,
// rsvg-convert + zbarimg on the SVG, and ZXing (decode_qr_png) agreeing with zbarimg. All four
// payloads, all four levels, module sizes 1..10, caption on and off, the spec's quiet zone.
//
// zbarimg (0.23.92) often finds no code drawn with 1-pixel modules (it exits 4, "no symbol"),
// whatever the renderer (about half of these payloads): at module size 1 it is asked only never
// to return wrong bytes, and ZXing must read the code. From 2 pixels up every decoder must read it.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "channels/qr/image/external_decoders.h"
#include "channels/qr/image/qr_image.h"
#include "channels/qr/image/test_payloads.h"
#include "support/temp_directory.h"

namespace mpay::qr {
namespace {

using testing::Payload;

constexpr int32_t zbarimg_module_size_px_min = 2;

class RoundTrip : public ::testing::TestWithParam<std::tuple<size_t, ErrorCorrection>> {
 protected:
  const Payload& payload() const { return testing::test_payloads()[std::get<0>(GetParam())]; }
  ErrorCorrection level() const { return std::get<1>(GetParam()); }
  RenderOptions options(int32_t module_size_px, bool with_caption) const {
    RenderOptions options;
    options.level = level();
    options.module_size_px = module_size_px;
    options.quiet_zone_modules = 4;
    if (with_caption) options.caption = "Noodle Bar & Co <Shanghai>";
    return options;
  }
  void expect_zbarimg_reads(const std::string& path, int32_t module_size_px) const {
    std::optional<std::string> read = testing::zbarimg_decode(path);
    if (module_size_px >= zbarimg_module_size_px_min) {
      ASSERT_TRUE(read.has_value()) << "zbarimg found no code in " << path;
    }
    if (read) {
      EXPECT_EQ(*read, payload().text) << path;
    }
  }
  mpay::testing::TempDirectory directory_;
};

TEST_P(RoundTrip, PngReadsBackWithZbarimgAndZxing) {
  for (int32_t module_size_px = 1; module_size_px <= 10; ++module_size_px) {
    for (bool with_caption : {false, true}) {
      SCOPED_TRACE("module size " + std::to_string(module_size_px) + (with_caption ? ", caption" : ""));
      Result<PngImage> png = render_png(payload().text, options(module_size_px, with_caption));
      ASSERT_TRUE(png.ok()) << png.error().code;
      EXPECT_EQ(png->caption, with_caption ? CaptionOutcome::drawn : CaptionOutcome::not_requested);
      std::string path = directory_.path() + "/" + payload().name + "-" + std::to_string(module_size_px) +
                         (with_caption ? "-caption" : "") + ".png";
      testing::write_file(path, png->bytes);
      expect_zbarimg_reads(path, module_size_px);
      Result<std::string> zxing = decode_qr_png(png->bytes);
      ASSERT_TRUE(zxing.ok()) << zxing.error().code;
      EXPECT_EQ(*zxing, payload().text);
    }
  }
}

TEST_P(RoundTrip, SvgConvertedByRsvgReadsBackWithZbarimgAndZxing) {
  for (int32_t module_size_px = 1; module_size_px <= 10; ++module_size_px) {
    for (bool with_caption : {false, true}) {
      SCOPED_TRACE("module size " + std::to_string(module_size_px) + (with_caption ? ", caption" : ""));
      Result<std::string> svg = render_svg(payload().text, options(module_size_px, with_caption));
      ASSERT_TRUE(svg.ok()) << svg.error().code;
      std::string stem = directory_.path() + "/" + payload().name + "-" + std::to_string(module_size_px) +
                         (with_caption ? "-caption" : "");
      testing::write_file(stem + ".svg", *svg);
      ASSERT_TRUE(testing::rsvg_convert(stem + ".svg", stem + ".png"));
      expect_zbarimg_reads(stem + ".png", module_size_px);
      Result<std::string> zxing = decode_qr_png(testing::read_file(stem + ".png"));
      ASSERT_TRUE(zxing.ok()) << zxing.error().code;
      EXPECT_EQ(*zxing, payload().text);
    }
  }
}

std::string name_of(const ::testing::TestParamInfo<RoundTrip::ParamType>& info) {
  return testing::test_payloads()[std::get<0>(info.param)].name + "_" +
         std::string(error_correction_letter(std::get<1>(info.param)));
}

INSTANTIATE_TEST_SUITE_P(AllPayloadsAndLevels, RoundTrip,
                         ::testing::Combine(::testing::Range<size_t>(0, 4),
                                            ::testing::Values(ErrorCorrection::low, ErrorCorrection::medium,
                                                              ErrorCorrection::quartile, ErrorCorrection::high)),
                         name_of);

}  // namespace
}  // namespace mpay::qr
