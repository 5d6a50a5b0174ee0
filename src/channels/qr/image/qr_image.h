// The public face of the QR image module (src/channels/qr/image): include this one header.
//
//   encode_qr      text -> QR symbol matrix (libqrencode)            qr_encoder.h
//   render_png     text -> PNG bytes, with an optional caption (libgd) png_renderer.h
//   render_svg     text -> SVG text                                   svg_renderer.h
//   decode_qr_png  PNG bytes -> text (libgd + ZXing-cpp)              png_decoder.h
//
// Options and their check: render_options.h; every limit: image_limits.h. All functions are
// safe from any thread and return errors as values (core/error.h); no exception leaves them.
#pragma once

#include "channels/qr/image/caption.h"
#include "channels/qr/image/error_correction.h"
#include "channels/qr/image/image_limits.h"
#include "channels/qr/image/png_decoder.h"
#include "channels/qr/image/png_renderer.h"
#include "channels/qr/image/qr_encoder.h"
#include "channels/qr/image/render_options.h"
#include "channels/qr/image/svg_renderer.h"
