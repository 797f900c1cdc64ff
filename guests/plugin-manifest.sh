# shellcheck shell=bash
# Shell helpers shared by every guests/<language>/build.sh: the build's arguments, which plugins
# to build, reading a plugin's manifest, and staging its component. Source it; each function
# exits the build with a message on bad input.
#
#   parse_build_args "$@"               # OUT_DIR [PLUGIN...]: sets OUT (created, absolute) and
#                                       # WANTED (the plugin names asked for; empty: all)
#   select_plugins DIR...               # sets MANIFESTS: DIR/*/plugin.toml, or the WANTED ones
#   name="$(manifest_name "$manifest")"    # the `name`, which must equal its folder's name
#   world="$(manifest_world "$manifest")"  # the WIT world its `kind` implements
#   building "$name"                    # from here until it is staged, a failing exit names
#                                       # this plugin and removes its staged copy: a failed
#                                       # build never leaves stale or empty output behind
#   stage_plugin "$wasm" "$manifest"    # OUT/<name>/{plugin.wasm,plugin.toml}, replaced whole
#   scratch_dir work                    # sets $work to a temporary folder, removed at exit
#   require_tools SETUP TOOL...         # exits naming the first TOOL not on PATH and SETUP,
#                                       # the script that installs it
#   cargo_build_plugins WORKSPACE TARGET WHAT  # builds the WANTED crates (or all) of a Rust
#                                       # guest workspace in release for TARGET

_mockforge_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The tools setup.sh installs into the checkout's virtual environment (wasm-tools,
# componentize-py, go) are found there even when a build script is run by hand.
_mockforge_venv_bin="${MOCKFORGE_VENV:-$_mockforge_root/.venv}/bin"
if [[ -d "$_mockforge_venv_bin" && ":$PATH:" != *":$_mockforge_venv_bin:"* ]]; then
    export PATH="$_mockforge_venv_bin:$PATH"
fi

_scratch_dirs=()
_building=""
_on_exit() {
    local status=$?
    if ((status != 0)) && [[ -n "$_building" ]]; then
        [[ -n "${OUT:-}" ]] && rm -rf "${OUT:?}/$_building"
        echo "error: plugin '$_building' failed to build (the cause is above); nothing is staged for it" >&2
    fi
    if ((${#_scratch_dirs[@]})); then
        rm -rf "${_scratch_dirs[@]}"
    fi
    exit "$status"
}
trap _on_exit EXIT

scratch_dir() { # variable: set to a new temporary folder, removed when the script exits
    local dir
    dir="$(mktemp -d)"
    _scratch_dirs+=("$dir")
    printf -v "$1" '%s' "$dir"
}

require_tools() { # the setup script that installs them, the tools
    local setup="$1" tool
    shift
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null; then
            echo "error: $tool is not installed; run: bash $setup" >&2
            exit 1
        fi
    done
}

parse_build_args() { # OUT_DIR [PLUGIN...]
    if [[ $# -lt 1 || "$1" == -* ]]; then
        echo "usage: $0 OUT_DIR [PLUGIN...]   (no PLUGIN: build every plugin)" >&2
        exit 2
    fi
    mkdir -p "$1"
    OUT="$(cd "$1" && pwd)"
    shift
    WANTED=("$@")
}

select_plugins() { # the folders holding one plugin folder each
    MANIFESTS=()
    local dir manifest name found
    if ((${#WANTED[@]} == 0)); then
        for dir in "$@"; do
            for manifest in "$dir"/*/plugin.toml; do
                [[ -e "$manifest" ]] && MANIFESTS+=("$manifest")
            done
        done
        return 0
    fi
    for name in "${WANTED[@]}"; do
        found=""
        for dir in "$@"; do
            if [[ -f "$dir/$name/plugin.toml" ]]; then
                found="$dir/$name/plugin.toml"
                break
            fi
        done
        if [[ -z "$found" ]]; then
            local known=()
            for dir in "$@"; do
                for manifest in "$dir"/*/plugin.toml; do
                    [[ -e "$manifest" ]] && known+=("$(basename "$(dirname "$manifest")")")
                done
            done
            echo "error: no plugin named '$name' here; the plugins are: ${known[*]}" >&2
            exit 2
        fi
        MANIFESTS+=("$found")
    done
}

manifest_value() { # manifest, key: the first `key = "value"` line's value
    sed -n "s/^$2 *= *\"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n 1
}

manifest_name() {
    local name dir
    name="$(manifest_value "$1" name)"
    dir="$(basename "$(dirname "$1")")"
    if [[ "$name" != "$dir" ]]; then
        echo "error: $1: name is \"$name\", expected \"$dir\" (the directory's name)" >&2
        exit 1
    fi
    echo "$name"
}

manifest_world() {
    local kind
    kind="$(manifest_value "$1" kind)"
    case "$kind" in
        auth) echo "auth-plugin" ;;
        response) echo "response-plugin" ;;
        both) echo "plugin" ;;
        *)
            echo "error: $1: kind is \"$kind\", expected auth, response or both" >&2
            exit 1
            ;;
    esac
}

building() { # name
    _building="$1"
}

stage_plugin() { # wasm, manifest
    local name dest
    name="$(manifest_name "$2")"
    dest="$OUT/$name"
    rm -rf "$dest"
    mkdir -p "$dest"
    cp "$1" "$dest/plugin.wasm"
    cp "$2" "$dest/plugin.toml"
    _building=""
    printf '    staged %-20s %9d bytes\n' "$name" "$(wc -c <"$dest/plugin.wasm")"
}

cargo_build_plugins() { # the workspace's Cargo.toml, the Rust target, what to call the plugins
    local workspace="$1" target="$2" what="$3" name manifest
    if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
        echo "error: the Rust target $target is not installed; run: bash $(dirname "$workspace")/setup.sh" >&2
        exit 1
    fi
    local packages=(--workspace)
    if ((${#WANTED[@]})); then
        packages=()
        for name in "${WANTED[@]}"; do
            packages+=(-p "$name")
        done
    fi
    echo "==> building the $what (release, $target)"
    if ! cargo build --manifest-path "$workspace" "${packages[@]}" --release --target "$target" --locked; then
        # Nothing of this build is staged, and no staged copy of a plugin asked for stays
        # behind to run stale code.
        for manifest in "${MANIFESTS[@]}"; do
            rm -rf "${OUT:?}/$(basename "$(dirname "$manifest")")"
        done
        echo "error: the $what failed to build (cargo names the crate above); nothing was staged" >&2
        exit 1
    fi
}
