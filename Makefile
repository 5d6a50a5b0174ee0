# The front door. `make run` and `make test` are the two commands a fresh Debian 12 machine needs;
# both install what they need first (scripts/bootstrap) and build with two jobs.
BUILD_DIR ?= build
JOBS ?= 2
BUILD_TYPE ?= RelWithDebInfo
DATA ?= ./data
LISTEN ?= 127.0.0.1:8080
CMAKE_FLAGS ?=

.PHONY: all bootstrap configure build run test bench sanitize clean

all: build

bootstrap:
	@./scripts/bootstrap

configure: bootstrap
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) > /dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@exec ./$(BUILD_DIR)/mpayd --data $(DATA) --listen $(LISTEN)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure --timeout 900

bench: build
	@./$(BUILD_DIR)/mpay-bench ledger
	@./$(BUILD_DIR)/mpay-bench http
	@./$(BUILD_DIR)/mpay-bench request-to-pay

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer, in its own build directory.
sanitize:
	@$(MAKE) test BUILD_DIR=build-sanitize BUILD_TYPE=Debug CMAKE_FLAGS=-DMPAY_SANITIZE=ON

clean:
	rm -rf $(BUILD_DIR) build-sanitize
