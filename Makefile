# VOS build.  Targets:
#   make            build build/rel/vos (optimised)
#   make run        install missing packages, build, run the demo
#   make check      install missing packages, build under ASan+UBSan, run every test
#   make bench      run the benchmarks with their peers (bench/README.md)
#   make fuzz       build the libFuzzer targets
#   make format     clang-format the C sources

PKGS      := jansson yaml-0.1 sqlite3 libsodium libmicrohttpd libcurl libpq
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

CC       ?= cc
WARN     := -std=c17 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wvla
DEFS     := -D_POSIX_C_SOURCE=200809L
INCS     := -Iinclude -Isrc
BASE_CFLAGS := $(WARN) $(DEFS) $(INCS) $(PKG_CFLAGS) -MMD -MP

REL_CFLAGS := $(BASE_CFLAGS) -O2 -g
SAN_FLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
SAN_CFLAGS := $(BASE_CFLAGS) -O1 -g $(SAN_FLAGS)

LIB_SRC  := $(sort $(wildcard src/util/*.c src/core/*.c src/store/*.c src/app/*.c src/render/*.c \
                              src/http/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/*/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/*.c))

REL := build/rel
SAN := build/san
FUZ := build/fuzz

REL_LIB_OBJ := $(LIB_SRC:%.c=$(REL)/%.o)
REL_CLI_OBJ := $(CLI_SRC:%.c=$(REL)/%.o)
SAN_LIB_OBJ := $(LIB_SRC:%.c=$(SAN)/%.o)
SAN_CLI_OBJ := $(CLI_SRC:%.c=$(SAN)/%.o)
SAN_TEST_OBJ := $(TEST_SRC:%.c=$(SAN)/%.o) $(SAN)/tests/unit/main.o
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZ)/%)

.PHONY: all run check test deps deps-check fuzz bench format clean
all: $(REL)/vos

deps:
	@scripts/install-deps.sh build
deps-check:
	@scripts/install-deps.sh check

run: deps
	@$(MAKE) --no-print-directory $(REL)/vos
	@scripts/run-demo.sh $(REL)/vos

check: deps-check
	@$(MAKE) --no-print-directory $(SAN)/vos $(SAN)/vos-test $(FUZZ_BIN) $(REL)/vos
	@tests/run.sh

fuzz: $(FUZZ_BIN)

bench: deps
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory $(REL)/vos $(REL)/vos-bench
	@bench/run.sh

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(wildcard include/vos/*.h src/*/*.h)

clean:
	rm -rf build

# --- release build ---
$(REL)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(REL_CFLAGS) -c $< -o $@
$(REL)/libvos.a: $(REL_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(REL)/vos: $(REL_CLI_OBJ) $(REL)/libvos.a
	$(CC) $(REL_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm -lpthread
$(REL)/vos-bench: $(REL)/bench/bench_engine.o $(REL)/libvos.a
	$(CC) $(REL_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm

# --- sanitizer build (tests) ---
$(SAN)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) $(CHECK_CFLAGS) -c $< -o $@
$(SAN)/libvos.a: $(SAN_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^
$(SAN)/vos: $(SAN_CLI_OBJ) $(SAN)/libvos.a
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(PKG_LIBS) -lm -lpthread
$(SAN)/tests/unit/suites.inc: $(TEST_SRC)
	@mkdir -p $(dir $@)
	@scripts/gen-suites.sh $(TEST_SRC) > $@.tmp && mv $@.tmp $@
$(SAN)/tests/unit/main.o: tests/unit/main.c $(SAN)/tests/unit/suites.inc
	@mkdir -p $(dir $@)
	$(CC) $(SAN_CFLAGS) $(CHECK_CFLAGS) -I$(SAN)/tests/unit -c $< -o $@
$(SAN)/vos-test: $(SAN_TEST_OBJ) $(SAN)/libvos.a
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS) -lm -lpthread

# --- libFuzzer targets (clang) ---
FUZZ_CFLAGS := -std=c17 -Wall -Wextra -Werror $(DEFS) $(INCS) $(PKG_CFLAGS) -O1 -g \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
$(FUZ)/%: tests/fuzz/%.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS) -lm -lpthread

-include $(shell find build -name '*.d' 2>/dev/null)
