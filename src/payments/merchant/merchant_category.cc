#include "payments/merchant/merchant_category.h"

#include <array>

namespace mpay::merchant {
namespace {

struct CategoryBlock {
  int first;
  int last;
  std::string_view name;
};

// The blocks of ISO 18245 (as the card networks publish them), with the spans inside the first
// two that are actually assigned.
constexpr std::array kBlocks{
    CategoryBlock{742, 780, "agricultural services"},
    CategoryBlock{1520, 2842, "contracted services"},
    CategoryBlock{3000, 3299, "airlines"},
    CategoryBlock{3300, 3499, "car rental"},
    CategoryBlock{3500, 3999, "lodging"},
    CategoryBlock{4000, 4799, "transportation services"},
    CategoryBlock{4800, 4999, "utility services"},
    CategoryBlock{5000, 5599, "retail outlet services"},
    CategoryBlock{5600, 5699, "clothing stores"},
    CategoryBlock{5700, 7299, "miscellaneous stores"},
    CategoryBlock{7300, 7999, "business services"},
    CategoryBlock{8000, 8999, "professional services and membership organizations"},
    CategoryBlock{9000, 9999, "government services"},
};

}  // namespace

std::optional<std::string_view> mcc_category(std::string_view mcc) {
  if (mcc.size() != 4) return std::nullopt;
  int code = 0;
  for (char c : mcc) {
    if (c < '0' || c > '9') return std::nullopt;
    code = code * 10 + (c - '0');
  }
  for (const CategoryBlock& block : kBlocks) {
    if (code >= block.first && code <= block.last) return block.name;
  }
  return std::nullopt;
}

}  // namespace mpay::merchant
