# The two commands of the README:
#   make render   installs what is missing, builds, and renders the course into Output/
#   make test     installs what is missing, builds, and runs the tests
# and, for authors: make check (run every lesson, report failures, write nothing).

DEBIAN_PACKAGES := libcmark-dev libopenblas-dev liblapacke-dev pkg-config bubblewrap
CUADERNO := .build/debug/cuaderno
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: render test check build model data deps clean

render: build model data
	$(CUADERNO) render

check: build model data
	$(CUADERNO) check

test: build model data
	swift test

# `swift build` also builds libLessonKit.so, the runtime lessons are compiled against.
build: deps
	swift build

# The pretrained models lessons 6 and 11 and their tests load (Models/README.md); quick when they are there.
model:
	python3 Scripts/fetch_model.py

# The movie-review sentences lessons 8 and 9 train on (Lessons/data/README.md); quick when they are there.
data:
	python3 Scripts/fetch_data.py

# Installs the Debian packages only when one is missing (bubblewrap: the sandbox `cuaderno grade` runs
# learners' programs in).
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

clean:
	swift package clean
	rm -rf .cuaderno-cache
	find Output -mindepth 1 ! -name README.md -delete
