# Reads cli/jvm.options into the array jvm_flags: one flag a line; blank lines, lines starting
# with #, surrounding blanks and CRs (a file edited on Windows) are dropped, so an edit cannot turn
# into an empty or mangled JVM argument. Sourced by ./k3sbox and scripts/lib/bench.sh.
read_jvm_options() {
  jvm_flags=()
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line//$'\r'/}"
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    if [ -n "$line" ] && [ "${line:0:1}" != "#" ]; then
      jvm_flags+=("$line")
    fi
  done <"$1"
}
