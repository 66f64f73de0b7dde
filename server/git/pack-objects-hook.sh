#!/bin/bash
# git upload-pack runs this in place of `git pack-objects` (uploadpack.packObjectsHook), with
# pack-objects' arguments ("$@" starts with `git pack-objects`) and its input on stdin. It asks the
# pat-console server that started upload-pack (server/git/pack-cache.ts) what to do:
#   run        run pack-objects here, as upload-pack would have (a request seen for the first time);
#   file PATH  send the pack made before for the same request, from PATH;
#   stream     send the pack the server is making for the same request, as the server reads it.
# Bash, not Node: it runs once per fetch, and Node's start alone costs more than a cached pack saves.
# Whatever goes wrong before a byte is sent falls back to running pack-objects.
set -u
export LC_ALL=C

# The input is a few lines of object ids: read whole, its last newline kept.
input=$(cat; printf .) || exit 1
input=${input%.}
pack() { printf '%s' "$input" | "$@"; }

if ! { exec 3<>"/dev/tcp/127.0.0.1/${PAT_CONSOLE_PACK_CACHE_PORT:-0}"; } 2>/dev/null; then
  pack "$@"
  exit
fi
{
  printf '%s\n%s\n' "${PAT_CONSOLE_PACK_CACHE_TICKET:-}" "$#"
  printf '%s\n' "$@"
  printf '%s\n%s' "${#input}" "$input"
} >&3 2>/dev/null
IFS= read -r reply <&3 || reply=run

case $reply in
  "file "*)
    # Opened before anything is sent: a pack gone by now means making one, never sending half.
    if { exec 4<"${reply#file }"; } 2>/dev/null; then
      exec 3>&-
      exec cat <&4
    fi
    pack "$@"
    ;;
  stream)
    # The server ends the stream cleanly when the pack is whole, and resets it when it failed.
    exec cat <&3
    ;;
  *)
    pack "$@"
    ;;
esac
