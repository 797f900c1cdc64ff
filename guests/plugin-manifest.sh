# Shell helpers shared by every guests/<language>/build.sh: read a plugin's manifest and stage
# its component. Source it; each function exits the build with a message on bad input.
#
#   out="$(staging_dir "$@")"              # the script's one argument, OUT_DIR, created, absolute
#   name="$(manifest_name "$manifest")"    # the `name`, which must equal its folder's name
#   world="$(manifest_world "$manifest")"  # the WIT world its `kind` implements
#   stage_plugin "$wasm" "$manifest" "$out"  # OUT/<name>/{plugin.wasm,plugin.toml}

staging_dir() { # the build script's arguments: exactly OUT_DIR
    if [[ $# -ne 1 ]]; then
        echo "usage: $0 OUT_DIR" >&2
        exit 2
    fi
    mkdir -p "$1"
    (cd "$1" && pwd)
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

stage_plugin() { # wasm, manifest, out dir
    local name dest
    name="$(manifest_name "$2")"
    dest="$3/$name"
    rm -rf "$dest"
    mkdir -p "$dest"
    cp "$1" "$dest/plugin.wasm"
    cp "$2" "$dest/plugin.toml"
    printf '    staged %-20s %8d bytes\n' "$name" "$(wc -c <"$dest/plugin.wasm")"
}
