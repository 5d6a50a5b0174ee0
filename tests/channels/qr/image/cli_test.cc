// `mpay qr render` and `mpay qr decode`, run as the built binary (MPAY_CLI_BINARY), with the
// images checked by zbarimg.
#include <gtest/gtest.h>

#include <string>

#include "channels/qr/image/external_decoders.h"
#include "channels/qr/image/test_payloads.h"
#include "support/temp_directory.h"

namespace mpay::qr {
namespace {

using testing::run_program;
using testing::shell_quoted;

std::string mpay_command(const std::string& arguments) { return std::string(MPAY_CLI_BINARY) + " " + arguments; }

class QrCli : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return directory_.path() + "/" + name; }
  mpay::testing::TempDirectory directory_;
};

TEST_F(QrCli, RenderPngAndSvgOfEveryPayloadScanWithZbarimg) {
  for (const testing::Payload& payload : testing::test_payloads()) {
    SCOPED_TRACE(payload.name);
    std::string png = path(payload.name + ".png");
    testing::ProgramOutput rendered =
        run_program(mpay_command("qr render --payload " + shell_quoted(payload.text) + " --format png --out " + png +
                                 " --ec Q --module-px 4 --margin 4 --caption 'Noodle Bar'"));
    ASSERT_EQ(rendered.status, 0) << rendered.out;
    EXPECT_EQ(rendered.out, png + "\n");
    EXPECT_EQ(testing::zbarimg_decode(png), std::optional<std::string>(payload.text));

    std::string svg = path(payload.name + ".svg");
    ASSERT_EQ(run_program(mpay_command("qr render --payload " + shell_quoted(payload.text) + " --format svg --out " +
                                       svg + " --caption '上海面馆'")).status, 0);
    ASSERT_TRUE(testing::rsvg_convert(svg, svg + ".png"));
    EXPECT_EQ(testing::zbarimg_decode(svg + ".png"), std::optional<std::string>(payload.text));

    testing::ProgramOutput decoded = run_program(mpay_command("qr decode " + png));
    ASSERT_EQ(decoded.status, 0);
    EXPECT_EQ(decoded.out, payload.text + "\n");
  }
}

TEST_F(QrCli, PayloadFileIsReadByteForByte) {
  const std::string payload = testing::test_payloads()[1].text + "\n";  // the newline is kept
  testing::write_file(path("payload.txt"), payload);
  ASSERT_EQ(run_program(mpay_command("qr render --payload-file " + path("payload.txt") + " --format png --out " +
                                     path("file.png"))).status, 0);
  EXPECT_EQ(testing::zbarimg_decode(path("file.png")), std::optional<std::string>(payload));
}

TEST_F(QrCli, CaptionTheFontCannotDrawIsLeftOutWithANote) {
  testing::ProgramOutput rendered = run_program(mpay_command(
      "qr render --payload hello --format png --out " + path("zh.png") + " --caption '上海面馆' 2>&1"));
  ASSERT_EQ(rendered.status, 0);
  EXPECT_NE(rendered.out.find("caption left out (omitted_glyphs_missing)"), std::string::npos) << rendered.out;
  EXPECT_EQ(testing::zbarimg_decode(path("zh.png")), std::optional<std::string>("hello"));
}

TEST_F(QrCli, BadArgumentsFailWithACode) {
  struct Case {
    std::string arguments, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"qr render --payload x --format png --out " + path("a.png") + " --module-px 0", "qr_option_invalid"},
           {"qr render --payload x --format png --out " + path("a.png") + " --margin 2", "qr_option_invalid"},
           {"qr render --payload " + std::string(3000, 'x') + " --format svg --out " + path("a.svg"),
            "qr_text_too_long"},
           {"qr render --format png --out " + path("a.png"), "payload_missing"},
           {"qr render --payload x --format gif --out " + path("a.gif"), "gif"},
           {"qr render --payload x --format png --out " + path("a.png") + " --ec X", "X"},
           {"qr decode " + path("missing.png"), "file_unreadable"},
       }) {
    testing::ProgramOutput output = run_program(mpay_command(c.arguments + " 2>&1"));
    EXPECT_NE(output.status, 0) << c.arguments;
    EXPECT_NE(output.out.find(c.expected), std::string::npos) << c.arguments << ": " << output.out;
  }
  testing::write_file(path("not.png"), "not a png");
  testing::ProgramOutput invalid = run_program(mpay_command("qr decode " + path("not.png") + " 2>&1"));
  EXPECT_EQ(invalid.status, 1);
  EXPECT_NE(invalid.out.find("qr_image_invalid"), std::string::npos);
}

TEST_F(QrCli, NarrowMarginOnlyWhenAskedExplicitly) {
  ASSERT_EQ(run_program(mpay_command("qr render --payload narrow --format png --out " + path("n.png") +
                                     " --margin 2 --allow-narrow-margin")).status, 0);
  testing::ProgramOutput decoded = run_program(mpay_command("qr decode " + path("n.png")));
  EXPECT_EQ(decoded.out, "narrow\n");
}

}  // namespace
}  // namespace mpay::qr
