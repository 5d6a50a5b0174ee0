// The replay driver: runs a fuzz target without libFuzzer, so that every build (gcc included)
// exercises the targets as ordinary ctest tests.
//
//   fuzz_<name> [--mutations=N] [PATH...]
//
// It runs LLVMFuzzerTestOneInput over every file of the seed corpus (each PATH is a file or a
// directory; without one, the corpus directory fuzz/corpus/<name>/ of the source tree), then over
// N (default 20000) deterministic mutations of those inputs: bit flips, byte overwrites with
// interesting values, insertions, deletions, truncations, duplicated chunks, chunks of other
// entries, splices of two entries and boundary integers. The pseudo-random sequence starts from a
// fixed seed, printed on the first line; the environment variable MPAY_FUZZ_SEED overrides it to
// reproduce or widen a run.
//
// A target reports a property violation by aborting (MPAY_CHECK). The driver catches the fatal
// signal, saves the input that caused it to ./fuzz_<name>-crash.bin (replay it with
// `fuzz_<name> --mutations=0 fuzz_<name>-crash.bin`, or with the libFuzzer binary) and exits
// non-zero. On success it prints "fuzz_<name>: <count> inputs, 0 failures".
//
// Single-threaded; the signal handler uses only async-signal-safe calls.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

constexpr uint64_t kSeedDefault = 0x6D7061792D66757AULL;  // "mpay-fuz"
constexpr uint64_t kMutationsDefault = 20000;
constexpr size_t kInputBytesMax = 1 << 20;  // mutations never grow an input beyond this
constexpr int kMutationsPerInputMax = 4;
constexpr size_t kPathBytesMax = 512;

struct CorpusEntry {
  std::string name;
  std::vector<uint8_t> bytes;
};

// What the signal handler needs, prepared before each input runs (no allocation in the handler).
struct CrashContext {
  const uint8_t* data = nullptr;
  size_t size = 0;
  char path[kPathBytesMax] = {};
  char description[kPathBytesMax] = {};
};
CrashContext g_crash;

void write_text(const char* text) {
  ssize_t ignored = write(STDERR_FILENO, text, strlen(text));
  (void)ignored;
}

void on_fatal_signal(int signal_number) {
  write_text("\n");
  write_text(g_crash.description);
  write_text(": the target crashed (a property violation or a memory error)\n");
  int fd = open(g_crash.path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    size_t written = 0;
    while (written < g_crash.size) {
      ssize_t n = write(fd, g_crash.data + written, g_crash.size - written);
      if (n <= 0) break;
      written += static_cast<size_t>(n);
    }
    close(fd);
    write_text("the input is saved in ");
    write_text(g_crash.path);
    write_text("\n");
  }
  write_text("1 failure\n");
  // Die of the same signal so that the exit status tells what happened.
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

void install_crash_handlers() {
  for (int signal_number : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
    std::signal(signal_number, on_fatal_signal);
  }
}

// SplitMix64: small, fast and the same on every platform, so a seed names one exact run.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, bound) for mutation choices; bound must be positive.
  size_t below(size_t bound) { return static_cast<size_t>(next() % bound); }

 private:
  uint64_t state_;
};

// Bytes that tend to sit on boundaries of text and binary formats.
constexpr std::array<uint8_t, 24> kInterestingBytes{
    0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x20, 0x09, 0x0A, '"', '\\', '%', '+', '-',
    '.',  '/',  '0',  '9',  'e', '{',  '[',  ':',  ',', 0xC3};

void mutate_once(std::vector<uint8_t>* bytes, const std::vector<CorpusEntry>& corpus,
                 Random* random) {
  std::vector<uint8_t>& b = *bytes;
  switch (random->below(9)) {
    case 0:  // flip one bit
      if (!b.empty()) b[random->below(b.size())] ^= static_cast<uint8_t>(1u << random->below(8));
      break;
    case 1:  // overwrite one byte with a random or an interesting value
      if (!b.empty()) {
        uint8_t value = random->below(2) == 0
                            ? static_cast<uint8_t>(random->next())
                            : kInterestingBytes[random->below(kInterestingBytes.size())];
        b[random->below(b.size())] = value;
      }
      break;
    case 2: {  // insert one to four bytes
      size_t count = 1 + random->below(4);
      size_t at = random->below(b.size() + 1);
      for (size_t i = 0; i < count; ++i) {
        uint8_t value = random->below(2) == 0
                            ? static_cast<uint8_t>(random->next())
                            : kInterestingBytes[random->below(kInterestingBytes.size())];
        b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), value);
      }
      break;
    }
    case 3:  // delete a short range
      if (!b.empty()) {
        size_t at = random->below(b.size());
        size_t count = 1 + random->below(std::min<size_t>(8, b.size() - at));
        b.erase(b.begin() + static_cast<std::ptrdiff_t>(at),
                b.begin() + static_cast<std::ptrdiff_t>(at + count));
      }
      break;
    case 4:  // truncate
      b.resize(random->below(b.size() + 1));
      break;
    case 5: {  // duplicate a chunk in place
      if (b.empty()) break;
      size_t from = random->below(b.size());
      size_t count = 1 + random->below(std::min<size_t>(64, b.size() - from));
      std::vector<uint8_t> chunk(b.begin() + static_cast<std::ptrdiff_t>(from),
                                 b.begin() + static_cast<std::ptrdiff_t>(from + count));
      size_t at = random->below(b.size() + 1);
      b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), chunk.begin(), chunk.end());
      break;
    }
    case 6: {  // splice: our prefix, another entry's suffix
      const std::vector<uint8_t>& other = corpus[random->below(corpus.size())].bytes;
      size_t keep = random->below(b.size() + 1);
      size_t from = random->below(other.size() + 1);
      b.resize(keep);
      b.insert(b.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
      break;
    }
    case 7: {  // cross-over: insert a chunk of another entry (a field, a token, a record part)
      const std::vector<uint8_t>& other = corpus[random->below(corpus.size())].bytes;
      if (other.empty()) break;
      size_t from = random->below(other.size());
      size_t count = 1 + random->below(std::min<size_t>(64, other.size() - from));
      size_t at = random->below(b.size() + 1);
      b.insert(b.begin() + static_cast<std::ptrdiff_t>(at),
               other.begin() + static_cast<std::ptrdiff_t>(from),
               other.begin() + static_cast<std::ptrdiff_t>(from + count));
      break;
    }
    default: {  // overwrite a little-endian integer field with a boundary value
      if (b.size() < 4) break;
      constexpr std::array<uint64_t, 6> kValues{0, 1, 0x7FFFFFFFFFFFFFFFULL,
                                                0x8000000000000000ULL, ~0ULL, 0xFFFFFFFFULL};
      size_t width = random->below(2) == 0 ? 4 : 8;
      if (b.size() < width) width = 4;
      size_t at = random->below(b.size() - width + 1);
      uint64_t value = kValues[random->below(kValues.size())];
      std::memcpy(b.data() + at, &value, width);
      break;
    }
  }
  if (b.size() > kInputBytesMax) b.resize(kInputBytesMax);
}

bool read_file(const std::filesystem::path& path, std::vector<CorpusEntry>* corpus) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  CorpusEntry entry;
  entry.name = path.string();
  entry.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  corpus->push_back(std::move(entry));
  return true;
}

bool load(const std::filesystem::path& path, std::vector<CorpusEntry>* corpus) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    std::vector<std::filesystem::path> files;
    for (const auto& item : std::filesystem::directory_iterator(path, error)) {
      if (item.is_regular_file()) files.push_back(item.path());
    }
    std::sort(files.begin(), files.end());  // a fixed order keeps a seed's run reproducible
    for (const auto& file : files) {
      if (!read_file(file, corpus)) return false;
    }
    return !error;
  }
  return read_file(path, corpus);
}

void set_crash_description(const std::string& description) {
  std::snprintf(g_crash.description, sizeof(g_crash.description), "%s", description.c_str());
}

void run(const std::vector<uint8_t>& input) {
  // A heap copy of exactly the input's size (never a null pointer, even when empty, as with
  // libFuzzer), so that a target reading past the end is caught by AddressSanitizer.
  std::unique_ptr<uint8_t[]> exact = std::make_unique<uint8_t[]>(input.size());
  if (!input.empty()) std::memcpy(exact.get(), input.data(), input.size());
  g_crash.data = exact.get();
  g_crash.size = input.size();
  LLVMFuzzerTestOneInput(exact.get(), input.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::string program = std::filesystem::path(argv[0]).filename().string();
  std::string name = program.rfind("fuzz_", 0) == 0 ? program.substr(5) : program;
  uint64_t mutations = kMutationsDefault;
  std::vector<std::filesystem::path> paths;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.rfind("--mutations=", 0) == 0) {
      mutations = std::strtoull(argv[i] + 12, nullptr, 10);
    } else if (arg == "--help" || arg == "-h") {
      std::printf("usage: %s [--mutations=N] [CORPUS_DIR_OR_FILE...]\n", program.c_str());
      return 0;
    } else {
      paths.emplace_back(arg);
    }
  }
  if (paths.empty()) paths.emplace_back(std::filesystem::path(MPAY_FUZZ_CORPUS_ROOT) / name);

  uint64_t seed = kSeedDefault;
  if (const char* text = std::getenv("MPAY_FUZZ_SEED")) seed = std::strtoull(text, nullptr, 0);

  std::vector<CorpusEntry> corpus;
  for (const auto& path : paths) {
    if (!load(path, &corpus)) {
      std::fprintf(stderr, "%s: cannot read %s\n", program.c_str(), path.string().c_str());
      return 2;
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "%s: the corpus is empty\n", program.c_str());
    return 2;
  }
  std::printf("%s: %zu corpus files, %llu mutations, seed 0x%llx (set MPAY_FUZZ_SEED to change)\n",
              program.c_str(), corpus.size(), static_cast<unsigned long long>(mutations),
              static_cast<unsigned long long>(seed));
  std::fflush(stdout);

  std::snprintf(g_crash.path, sizeof(g_crash.path), "%s-crash.bin", program.c_str());
  install_crash_handlers();

  uint64_t inputs = 0;
  for (const CorpusEntry& entry : corpus) {
    set_crash_description("corpus file " + entry.name);
    run(entry.bytes);
    ++inputs;
  }
  Random random(seed);
  std::vector<uint8_t> input;
  for (uint64_t i = 0; i < mutations; ++i) {
    const CorpusEntry& base = corpus[random.below(corpus.size())];
    input = base.bytes;
    // Mostly one or two changes: inputs stay close to a valid one and get past the first checks.
    int rounds = 1;
    while (rounds < kMutationsPerInputMax && random.below(2) == 0) ++rounds;
    for (int r = 0; r < rounds; ++r) mutate_once(&input, corpus, &random);
    set_crash_description("mutation " + std::to_string(i) + " of " + base.name);
    run(input);
    ++inputs;
  }
  std::printf("%s: %llu inputs, 0 failures\n", program.c_str(),
              static_cast<unsigned long long>(inputs));
  return 0;
}
