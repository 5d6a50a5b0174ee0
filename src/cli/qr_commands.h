// `mpay qr ...`: QR code images of a payload, offline (src/channels/qr/image):
//
//   mpay qr render (--payload TEXT | --payload-file FILE) --format png|svg --out FILE
//                  [--ec L|M|Q|H] [--module-px N] [--margin N] [--allow-narrow-margin]
//                  [--caption TEXT] [--font FILE]
//   mpay qr decode FILE.png        prints the payload and a newline
//
// --payload-file is read byte for byte (a trailing newline is part of the payload). Defaults:
// --ec M, --module-px 8 (1..32), --margin 4 modules (0..16; under 4 only with
// --allow-narrow-margin). A PNG caption the font cannot draw is left out, with a note on stderr.
// Errors go to stderr with their code; the exit status is then 1.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace mpay::cli {

// Adds the "qr" subcommand tree to `app`; the returned function runs whichever of its commands
// was parsed and returns the exit status, or -1 if none was.
std::function<int()> add_qr_commands(CLI::App& app);

}  // namespace mpay::cli
