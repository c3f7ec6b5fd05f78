# The attempt wrapper of the local backend: runs one attempt's command and records how it
# ended, on disk. POSIX sh (dash, bash, busybox ash), started by the backend as the leader of a
# new session with every signal at its default action, stdout/stderr already pointing at the
# attempt's log files:
#
#     /bin/sh wrapper.sh ATTEMPT_DIR WORKDIR TIMEOUT GRACE SYNC_AFTER ARGV...
#
# TIMEOUT is empty for none; GRACE is the seconds between SIGTERM and SIGKILL at the timeout;
# SYNC_AFTER is how many whole seconds the command must run for its exit code to be fsynced.
# It records its pid and start time (pid, pid.start), enters WORKDIR, runs ARGV (never through
# a shell: `exec` looks the program up on PATH and skips builtins and functions), and writes
# the exit code to exit_code: the command's status, 128+N when signal N killed it, 127 when
# the program does not exist, 126 when it cannot be executed. At TIMEOUT it writes timed_out,
# sends SIGTERM to the process group, and SIGKILL after GRACE (recording 137 first). SIGTERM,
# SIGINT and SIGHUP sent to the group end the command, not the wrapper, which then records the
# code. It is a shell script rather than Python because it starts once per attempt and its
# start-up delays the command: about 1 ms against 20-25 ms for `python3 -I -S`.
#
# Every record is one line written in place by the shell itself (no `mv`, no subshell: each
# helper process cost about a millisecond of CPU per run), and a reader takes a record only
# once its closing newline is there: an empty or cut-off file reads as not written yet, so a
# wrapper killed mid-write leaves no record rather than a wrong one. The exit code is fsynced
# (`sync FILE`) when the command ran SYNC_AFTER seconds or more (the backend passes 10): a
# machine crash in the seconds before the kernel writes it back then cannot lose a result worth
# keeping, while a shorter run, which would only be run again, does not pay for the fsync
# (about 8 ms on the slot on a disk). docs/reliability.md, "When an append is on disk", gives
# the whole argument.
#
# The shell's own diagnostics ("Killed", job notices) go to /dev/null: the log is the command's
# (the OOM classifier reads it, and "Killed" there means the kernel's OOM killer). Fd 3 is the
# log, for the wrapper's own lines and the command's stderr. The tools the wrapper uses are
# found with `command -p` (the system's default PATH), never through the run's PATH.

set -f
exec 3>&2 2>/dev/null
A=$1 W=$2 T=$3 G=$4 S=${5:-0}
shift 5

say() { printf '[bridge wrapper] %s\n' "$1" >&3; }

# put FILE TEXT [durable]: write the one-line record FILE (whole once its newline is written);
# durable also fsyncs it.
put() {
    # On a full disk the write fails: remove the empty file rather than leave it.
    if ! printf '%s\n' "$2" > "$1"; then
        command -p rm -f -- "$1"
        return 1
    fi
    if [ "$3" = durable ]; then command -p sync -- "$1"; fi
}

# Seconds since boot, whole, into $up (read from /proc by the shell: no helper process).
uptime_now() {
    read -r up _ < /proc/uptime || up=0
    up=${up%.*}
}

# The 20th field after the command name in /proc/PID/stat: the start time in clock ticks,
# which tells this process from a later one that reuses its pid. Set in $ticks (a function's
# `set --` leaves the script's arguments alone).
start_ticks() {
    ticks=
    read -r stat < "/proc/$$/stat" || return 0
    set -- ${stat##*) }
    shift 19
    ticks=$1
}

# A handler (not an ignore) so the command, which the subshell starts with default dispositions,
# still dies of these signals while the wrapper lives on to record its exit code.
trap ':' TERM INT HUP
# The backend writes the same two records (atomically, by rename) once the spawn returns, and
# `set -C` makes these `>` leave its files alone when they came first: either way both are whole
# once submit has returned, and written all the same if bridge was killed just after the spawn.
start_ticks
set -C
printf '%s\n' "$ticks" > "$A/pid.start"
printf '%s\n' "$$" > "$A/pid"
set +C

if [ -e "$A/cancelled" ]; then
    # cancel() came between the launch and now: honour it rather than start the command.
    say "cancelled before the command started"
    put "$A/exit_code" 143 durable
    exit 0
fi
if ! cd -- "$W"; then
    say "cannot enter the working directory $W"
    put "$A/exit_code" 126 durable
    exit 0
fi

if [ -n "$T" ]; then
    # The timer ignores SIGTERM (its sleeps inherit that) so its own group signal does not end
    # it; SIGUSR1 from the wrapper stops it, and its sleep, once the command has ended.
    (
        trap '' TERM INT HUP
        trap 'kill -KILL $! 2>/dev/null; exit 0' USR1
        command -p sleep "$T" &
        if ! wait $!; then
            say "cannot time the command (sleep $T failed): it runs without a time limit"
            exit 0
        fi
        put "$A/timed_out" "$T" durable
        say "timed out after $T s: sending SIGTERM to the process group"
        kill -TERM 0
        command -p sleep "$G" & wait $!
        say "still running $G s after SIGTERM: sending SIGKILL"
        # SIGKILL reaches the wrapper too, so the code of a killed process is recorded first.
        put "$A/exit_code" 137 durable
        kill -KILL 0
    ) &
    timer=$!
fi

uptime_now
began=$up
case $1 in
    # `exec` would read these as its own options (bash) or fail obscurely (dash).
    -*) say "cannot start '$1': a program name cannot start with '-'"; rc=127 ;;
    # Said here, naming the program: the shell's own message names this wrapper's file and line.
    */*) if [ -e "$1" ]; then (exec "$@" 2>&3 3>&-); rc=$?
         else say "program not found: '$1' (no such file)"; rc=127; fi ;;
    *) if command -v "$1" >/dev/null 2>&1; then (exec "$@" 2>&3 3>&-); rc=$?
       else say "program not found: '$1' is not on PATH"; rc=127; fi ;;
esac
if [ -n "$T" ]; then
    # Stop the timer and wait for it, so only one process ever writes exit_code.
    kill -USR1 "$timer"
    wait "$timer"
fi
uptime_now
durable=
if [ $((up - began)) -ge "$S" ]; then durable=durable; fi
put "$A/exit_code" "$rc" $durable || say "cannot record exit code $rc in $A (is the disk full?)"
