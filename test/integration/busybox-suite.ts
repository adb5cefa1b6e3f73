// End-to-end, shared by busybox-mipsel.test.ts and busybox-arm64.test.ts: Debian's own
// busybox-static for ARCH (scripts/fetch-debian-fixtures.sh ARCH puts it in
// test/fixtures/debian/ARCH/busybox), used as a shell with pipes and as its applets,
// must behave under `compat exec` exactly as under qemu-user (QEMU below:
// qemu-mipsel, qemu-aarch64): stdout byte for byte, stderr, exit status. One table
// of rows (ROWS) and one runner (defineBusyboxSuite) serve every architecture; an
// architecture may leave a row out of its run only with the name of the compat bug
// that keeps it out (BusyboxArch.without).
//
// Each row runs `busybox <args>` in a fresh scratch directory (the cwd) holding
// the files of STD_FILES (mode 0644, mtime 2001-02-03 04:05:06 UTC), with the
// complete environment PATH=<bin> HOME=/tmp TZ=UTC LANG=C. <bin> is a directory
// of symlinks `<applet> -> busybox` for every applet of `busybox --list`, so a
// command a script runs by name can only ever be busybox itself, never a host
// tool: Debian's busybox-static is built with FEATURE_SH_STANDALONE, so its sh
// first execve()s /proc/self/exe for an applet that is not NOFORK/NOEXEC and
// only falls back to PATH when that fails (as it does under qemu-user without
// binfmt_misc, where PATH=/bin:/usr/bin would silently run GNU coreutils).
// Before comparing, both sides' outputs have the scratch dir replaced by {cwd},
// <bin> by {bin} and the busybox path by {busybox}.
//
// Reference, per row:
//   - live QEMU (on PATH, or $COMPAT_QEMU_MIPSEL / $COMPAT_QEMU_AARCH64), except rows
//     marked needsBinfmt when QEMU is not registered in binfmt_misc with flag P:
//     those execve() the foreign busybox again (a non-builtin applet in a script,
//     `busybox` in a script, xargs/env/find -exec running a command), which
//     qemu-user can only do through binfmt_misc;
//   - otherwise the recorded test/fixtures/expected/busybox-ARCH/<id>.{stdout,stderr,status}.
//   - rows with `fixed` compare with an expectation computed here: the host's
//     id -u, or what the Linux kernel does where qemu-user does not (qemu-user
//     hands the guest its environment in REVERSED order; the kernel keeps envp's
//     order, which is PATH, HOME, TZ, LANG here).
// The test name says which reference a row uses.
//
// COMPAT_TEST_UNDER=qemu runs busybox under QEMU instead of compat and
// compares with the recordings (needsBinfmt rows are skipped without binfmt).
//
// COMPAT_RECORD=1 records: every row runs twice under QEMU (must agree)
// and its normalized outputs are written to test/fixtures/expected/busybox-ARCH/,
// plus applets.txt (the `busybox --list` the <bin> dir is built from). All rows
// need QEMU registered in binfmt_misc with flag P, e.g. as root, for mipsel:
//   mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
//   printf '%s' ':qemu-mipsel:M::\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x08\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-mipsel:P' >/proc/sys/fs/binfmt_misc/register
//   COMPAT_RECORD=1 npx vitest run test/integration/busybox-mipsel.test.ts
//   echo -1 >/proc/sys/fs/binfmt_misc/qemu-mipsel; umount /proc/sys/fs/binfmt_misc   # undo
// and for arm64 (an ELF64 LE EM_AARCH64 (183) binary):
//   printf '%s' ':qemu-aarch64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-aarch64:P' >/proc/sys/fs/binfmt_misc/register
//   COMPAT_RECORD=1 npx vitest run test/integration/busybox-arm64.test.ts
//   echo -1 >/proc/sys/fs/binfmt_misc/qemu-aarch64; umount /proc/sys/fs/binfmt_misc   # undo
//
// To find out which rows need binfmt_misc, record once without it into another
// folder (COMPAT_RECORD_ALLOW_NO_BINFMT=1 COMPAT_BB_EXPECTED_DIR=/tmp/x) and diff.
//
// If the busybox binary is missing, beforeAll runs scripts/fetch-debian-fixtures.sh ARCH
// once; when that fails (no apt, no root, no network) every row fails with its message.
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { COMPAT_JS, type DebianArch, ensureDebianBusybox, formatStatus, REPO_ROOT, runProcess, testedRunner, type RunResult } from './helpers.js';

const RUN_TIMEOUT_MS = Number(process.env.COMPAT_TEST_TIMEOUT_MS) || 60_000;
/** 2001-02-03 04:05:06 UTC: mtime of every fixture file. */
const FIXED_MTIME = 981173106;

// ---------------------------------------------------------------------------
// The rows

interface Row {
  /** File name of the recorded expectation (unique). */
  id: string;
  /** argv after `busybox`. */
  args: string[];
  /** Written to stdin (stdin is always a pipe, closed after this). */
  input?: string;
  /** The command execve()s the foreign busybox again: live qemu needs binfmt_misc. */
  needsBinfmt?: boolean;
  /** stderr is not deterministic: do not compare it. */
  ignoreStderr?: boolean;
  /**
   * Expected stdout (normalized) known without any reference run; status must be 0, stderr empty.
   * qemuDiffers: qemu-user itself does not behave like the Linux kernel here, so the row is
   * skipped under COMPAT_TEST_UNDER=qemu and never recorded.
   */
  fixed?: { stdout: () => string; why: string; qemuDiffers?: boolean };
}

const STD_FILES: Record<string, string | Buffer> = {
  'fruits.txt': 'banana 3\napple 10\ncherry 7\napple 10\ndate 1\nbanana 3\nelderberry 25\nfig 7\n',
  'nums.txt': '10\n9\n100\n-3\n2.5\n9\n0\n1e2\n',
  'passwd.txt':
    'root:x:0:0:root:/root:/bin/sh\n' +
    'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' +
    'user:x:1000:1000:A User,,,:/home/user:/bin/bash\n' +
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
  'text.txt':
    'The quick brown fox\njumps over the lazy dog.\nHello, World!\nhello again\n\n\tindented\tline\nfoo bar foo baz foo\nlast line without newline',
  'a.txt': 'line1\nline2\nline3\nline4\nline5\n',
  'b.txt': 'line1\nline2 changed\nline3\nline5\nline6\n',
  'bin.dat': Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff)),
};

const sh = (id: string, script: string, extra: Partial<Row> = {}): Row => ({ id, args: ['sh', '-c', script], ...extra });
const bb = (id: string, args: string[], extra: Partial<Row> = {}): Row => ({ id, args, ...extra });
const ENV_ORDER = 'the kernel keeps envp order (qemu-user reverses it)';
/** ls -l without the owner/group columns (user names differ between machines). */
const LSL = "awk '{ $3 = \"\"; $4 = \"\"; print }'";

export const ROWS: Row[] = [
  // --- the shell -----------------------------------------------------------
  sh('sh-for', 'for i in 1 2 3; do echo "item $i"; done; for f in *.txt; do echo "file $f"; done'),
  sh('sh-while', 'i=0; while [ $i -lt 5 ]; do i=$((i+1)); printf "%s," $i; done; echo'),
  sh('sh-until-break-continue', 'n=0; until false; do n=$((n+1)); [ $n -eq 2 ] && continue; [ $n -gt 4 ] && break; echo n=$n; done'),
  sh(
    'sh-if-case',
    'for w in apple banana cherry 42 "two words" ""; do case $w in a*) echo "$w: a-word";; b*|c*) echo "$w: b or c";; [0-9]*) echo "$w: number";; *\\ *) echo "$w: spaced";; *) echo "[$w]: other";; esac; done; ' +
      'if [ -z "" ]; then echo empty; elif true; then echo no; else echo no; fi; if [ 2 -gt 3 ]; then echo no; else echo else-branch; fi',
  ),
  sh('sh-functions', 'f() { echo "f got $# args: $*"; return 4; }; f a "b c" d; echo "status $?"; g() { local x=inner; echo $x; }; x=outer; g; echo $x; fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1-1))) )); fi; }; fact 10'),
  sh('sh-arith', 'echo $((3+4*5)) $(( (3+4)*5 )) $((17/5)) $((17%5)) $((2**10)) $((-7/2)) $((1<<4)) $((0x1f)) $((010)) $((5>3 && 2>1)) $((~0)) $((7^2)) $((2147483647+1)) $((-2147483648-1))'),
  sh('sh-arith-vars', 'a=6; b=7; echo $((a*b)); : $((a+=1)); echo $a; echo $((a>b ? a : b)); i=0; i=$((i+1)); echo $((i++)) $i $((--i))'),
  sh('sh-params', 'set -- a "b c" d; echo $#; for a in "$@"; do echo "[$a]"; done; for a in $*; do echo "<$a>"; done; echo ${#1} "${2% c}" ${3:-def} ${UNSET:-def} ${x:=assigned} $x; shift 2; echo "$@"'),
  sh('sh-string-ops', 's=hello.tar.gz; echo ${s%.*} ${s%%.*} ${s#*.} ${s##*.} ${#s} ${s/l/L} ${s//l/L} ${s:1:3}'),
  sh('sh-argv0', 'echo "$0|$1|$2|$#"', { args: ['sh', '-c', 'echo "$0|$1|$2|$#"', 'zero', 'one', 'two'] }),
  sh('sh-read-loop', 'while read a b; do echo "$b-$a"; done; echo end', { input: '1 one\n2 two\n3 three four\n' }),
  sh('sh-read-ifs', 'IFS=: read -r user pass uid gid rest <passwd.txt; echo "$user/$uid/$gid"; while IFS=: read -r u _ id _; do echo "$id=$u"; done <passwd.txt'),
  sh('sh-pipe-builtins', 'echo one two three | { read a b c; echo "$c $b $a"; } | { read x; echo "[$x]"; }'),
  sh('sh-pipe3', "printf 'c\\nb\\na\\nb\\nc\\nc\\n' | sort | uniq -c | sort -rn", { needsBinfmt: true }),
  sh('sh-pipe4', 'seq 1 30 | grep 1 | tr 1 X | wc -l', { needsBinfmt: true }),
  sh('sh-pipe5-awk-sort-head', "cat fruits.txt | awk '{ s[$1] += $2 } END { for (k in s) print s[k], k }' | sort -rn | head -n 3 | cut -d' ' -f2", { needsBinfmt: true }),
  sh('sh-redirect-out-append-in', 'echo one > f; echo two >> f; echo three >>f; cat f; cat < f | wc -l; wc -c < f', { needsBinfmt: true }),
  sh('sh-redirect-2to1', 'ls nonexistent 2>&1 | sed "s/^/E: /"; { echo out; echo err >&2; } 2>&1 >/dev/null | sed "s/^/only-err: /"', { needsBinfmt: true }),
  sh('sh-redirect-fds', 'exec 3>out3; echo to3 >&3; exec 3>&-; cat out3; exec 4<a.txt; read l <&4; read m <&4; echo "$l $m"; echo x > /dev/null; echo done', { needsBinfmt: true }),
  sh('sh-stderr', 'echo to-stderr >&2; echo to-stdout; ls /nonexistent-dir; echo after'),
  sh('sh-heredoc', 'x=42; cat <<EOF\nx=$x\n$(echo sub) `echo tick`\n  kept indent\nEOF\ncat <<\'EOF\'\n$x not expanded\nEOF\ncat <<-EOF\n\ttab stripped $x\n\tEOF\necho after', { needsBinfmt: true }),
  sh('sh-subshell', 'x=1; (x=2; echo in $x; cd /; pwd); echo out $x; pwd; (exit 6); echo sub-status $?; ( echo a; echo b ) | wc -l', { needsBinfmt: true }),
  sh('sh-cmdsubst', 'a=$(echo hello | tr a-z A-Z); b=`echo back`; echo "$a $b $(echo $(echo nested))"; n=$(seq 5 | wc -l); echo $n; echo "$(printf "trailing\\n\\n\\n")|"', { needsBinfmt: true }),
  sh('sh-exit3', 'echo before; exit 3; echo never'),
  sh('sh-false-status', 'false; echo $?; true; echo $?; ! true; echo $?; ! false; echo $?; [ 1 = 2 ]; echo $?'),
  sh('sh-set-e', 'set -e; echo start; false || echo handled; if false; then :; fi; ! true; echo before; false; echo never'),
  sh('sh-set-e-subshell-status', 'set -e; (false) && echo no || echo sub-failed; sh -c "exit 5" || echo "child $?"; echo end', { needsBinfmt: true }),
  sh('sh-trap-exit', "trap 'echo bye' EXIT; echo main; exit 5"),
  sh('sh-trap-signal', "trap 'echo got USR1' USR1; kill -USR1 $$; echo after; trap - USR1; trap 'echo term; exit 9' TERM; kill -TERM $$; echo never"),
  sh('sh-not-found', 'nosuchcommand arg; echo "status $?"; ./nosuchfile; echo "status $?"'),
  sh('sh-pipefail', 'false | true; echo $?; set -o pipefail; false | true; echo $?; (exit 4) | true; echo $?'),
  sh('sh-background-wait', '(sleep 0.1; echo bg) & echo fg; wait; echo "waited $?"; (exit 7) & wait $!; echo "bg status $?"', { needsBinfmt: true }),
  sh('sh-getopts', 'set -- -a -b val -c arg1 arg2; while getopts ab:c o; do echo "opt $o ${OPTARG:-}"; done; shift $((OPTIND-1)); echo "rest $*"'),
  sh('sh-eval-printf', "eval 'x=5; y=$((x*2))'; printf '%05d|%-4s|%x|%o|%c|%s|%3.1f|%%\\n' $x ab 255 8 zed \"q r\" 2.25; printf '%s-' a b c; echo"),
  sh('sh-export-env', 'export FOO=bar; unset HOME; env | sort; echo ---; FOO2=x sh -c \'echo "$FOO $FOO2 $PATH"\'', { needsBinfmt: true }),
  sh('sh-nested-status', 'sh -c "exit 42"; echo "exit $?"; sh -c \'kill -TERM $$\'; echo "killed $?"', { needsBinfmt: true }),
  sh('sh-script-file', 'printf \'echo "script $# $1"\\nexit 2\\n\' > s.sh; sh s.sh arg1 arg2; echo "status $?"; . ./s.sh; echo never', { needsBinfmt: true }),
  sh('sh-glob', 'echo *.txt; echo [ab].txt; echo no*match; echo .*; mkdir d; touch d/x.c d/y.c; echo d/*.c'),
  sh('sh-quoting', 'a="x  y"; echo $a; echo "$a"; echo \'$a\' "\\$a" "a\\\\b"; printf "%s\\n" "$a" $a'),
  sh('sh-umask', 'umask 027; umask; touch f; stat -c %a f; umask 0; touch g; stat -c %a g'),

  // --- applets, direct and in scripts ---------------------------------------
  sh('ls-l', `umask 022; touch -d '2010-05-06 07:08:09' newer.txt; ln -s a.txt link; touch -h -d '2011-01-01 00:00:00' link; ls -l *.txt bin.dat link | ${LSL}`, { needsBinfmt: true }),
  bb('ls-plain', ['ls']),
  bb('ls-a', ['ls', '-a']),
  sh('ls-1r-sorted', 'mkdir zdir; touch .hidden; ls -1 -r; echo ---; ls -A1; echo ---; ls -1 -S *.txt bin.dat; echo ---; ls -1t'),
  sh('ls-R', 'mkdir -p top/sub1/deep top/sub2; touch top/f1 top/sub1/f2 top/sub1/deep/f3 top/sub2/f4; ls -R top'),
  bb('cat-files', ['cat', 'a.txt', 'text.txt']),
  bb('cat-stdin', ['cat'], { input: 'from stdin\nsecond line\n' }),
  bb('cat-n-missing', ['cat', '-n', 'a.txt', 'missing.txt']),
  bb('echo-n', ['echo', '-n', 'no newline']),
  bb('echo-e', ['echo', '-e', 'a\\tb\\nc\\x41\\0101\\\\ end\\c more']),
  bb('printf', ['printf', '%s=%d %5.2f %-6s| %x %o %e\\n', 'a', '42', '3.14159', 'ab', '255', '8', '12345.678']),
  bb('wc', ['wc', 'a.txt', 'text.txt', 'fruits.txt']),
  bb('wc-lwc', ['wc', '-l', '-w', '-c', 'text.txt']),
  bb('sort-plain', ['sort', 'fruits.txt']),
  bb('sort-n', ['sort', '-n', 'nums.txt']),
  bb('sort-rn', ['sort', '-r', '-n', 'nums.txt']),
  bb('sort-u', ['sort', '-u', 'fruits.txt']),
  bb('sort-k', ['sort', '-k', '2,2n', '-k', '1,1r', 'fruits.txt']),
  bb('sort-t-k', ['sort', '-t', ':', '-k', '3', '-n', 'passwd.txt']),
  sh('uniq-c', 'sort fruits.txt | uniq -c; echo ---; sort fruits.txt | uniq -d; echo ---; sort fruits.txt | uniq -u', { needsBinfmt: true }),
  bb('sed-s-g', ['sed', 's/foo/FOO/g; s/o/0/', 'text.txt']),
  bb('sed-n-p', ['sed', '-n', '2p; /[Hh]ello/p; $p', 'text.txt']),
  bb('sed-addresses', ['sed', '-e', '2,3d', '-e', '/^$/,/indented/s/^/> /', '-e', 'y/abc/ABC/', 'text.txt']),
  bb('sed-regex-groups', ['sed', '-E', 's/^([a-z]+):x:([0-9]+):.*$/\\2 \\1/', 'passwd.txt']),
  sh('sed-inplace', "cp a.txt c.txt; sed -i -e '1i\\\nfirst' -e '$a\\\nlast' -e 's/line/L/' c.txt; cat c.txt", { needsBinfmt: true }),
  bb('awk-fields', ['awk', '-F:', '{ print NR": "$1" uid="$3" shell="$NF" nf="NF }', 'passwd.txt']),
  bb('awk-begin-end', ['awk', 'BEGIN { print "start"; OFS="-" } { n++; sum += $2; $1 = toupper($1); print } END { printf "n=%d sum=%d avg=%.3f\\n", n, sum, sum/n }', 'fruits.txt']),
  // Debian's busybox awk has no math library: no ^, sqrt, exp, ... (they fail with "Math support is not compiled in")
  bb('awk-arith-funcs', ['awk', 'BEGIN { printf "%d %s %d %s %.3f\\n", int(-3.7), substr("hello", 2, 3), length("hello"), sprintf("%05.1f", 3.14159), 10/3; x = "a,b,c"; n = split(x, arr, ","); print n, arr[3]; s = "foo bar foo"; gsub(/foo/, "X", s); print s, index("hello", "ll"), 7 % 3, -7 % 3, toupper("ab") tolower("CD"); print 1e3, 0.1+0.2, 100000*100000, 2147483647+1 }']),
  bb('awk-no-math', ['awk', 'BEGIN { print sqrt(2) }']),
  bb('awk-patterns', ['awk', '/apple/,/date/ { print "range:", $0 } $2 > 9 { print "big:", $1 } !seen[$1]++ { u++ } END { print u " unique" }', 'fruits.txt']),
  bb('grep-plain', ['grep', 'o', 'text.txt']),
  bb('grep-v-c', ['grep', '-v', '-c', 'o', 'text.txt']),
  bb('grep-i-n', ['grep', '-i', '-n', 'hello', 'text.txt']),
  bb('grep-E-o', ['grep', '-E', '-o', '[0-9]+|fo+', 'text.txt', 'fruits.txt']),
  bb('grep-nomatch', ['grep', 'zzz', 'text.txt']),
  bb('grep-missing-file', ['grep', '-s', 'x', 'nope.txt']),
  sh('grep-w-x-l', 'grep -w foo text.txt; grep -x "hello again" text.txt; grep -l apple *.txt; grep -q fox text.txt && echo quiet-match', { needsBinfmt: true }),
  sh('find-name-type', 'mkdir -p d1/d2/d3; touch d1/x.c d1/d2/y.c d1/d2/d3/z.h; find . -name "*.c" | sort; echo ---; find d1 -type d | sort; echo ---; find . -maxdepth 1 -type f -name "[ab]*" | sort'),
  sh('find-exec-print0', 'mkdir -p q/r; touch q/one q/r/two; find q -type f -exec echo found {} \\; | sort; find q -type f -print0 | sort -z | tr "\\0" "|"; echo', { needsBinfmt: true }),
  sh('xargs', 'printf "a b\\nc\\n" | xargs echo X; printf "1 2 3 4 5\\n" | xargs -n 2 echo; printf "x\\0y z\\0" | xargs -0 -n 1 echo item'),
  sh('tar-c-t-x', 'mkdir -p src/sub; printf one > src/1.txt; printf two > src/sub/2.txt; tar cf arch.tar src; tar tf arch.tar | sort; mkdir out; tar xf arch.tar -C out; find out | sort; cat out/src/1.txt out/src/sub/2.txt; echo; wc -c < arch.tar', { needsBinfmt: true }),
  sh('tar-z-stream', 'tar czf - a.txt b.txt | tar tzf -; tar cf - fruits.txt | tar xOf - | md5sum', { needsBinfmt: true }),
  sh('gzip-roundtrip', 'cp text.txt t; gzip t; ls t*; gzip -c fruits.txt | wc -c; gzip -c fruits.txt | md5sum; gunzip t.gz; cmp t text.txt && echo same; gzip -c bin.dat | gunzip -c | md5sum; md5sum bin.dat; echo hi | gzip | gzip -d', { needsBinfmt: true }),
  bb('sha256sum', ['sha256sum', 'a.txt', 'bin.dat', 'text.txt']),
  bb('md5sum', ['md5sum', 'a.txt', 'bin.dat']),
  bb('md5sum-stdin', ['md5sum'], { input: 'abc' }),
  sh('checksum-check', 'sha256sum a.txt b.txt > sums; sha256sum -c sums; echo changed >> b.txt; sha256sum -c sums; echo "status $?"'),
  bb('od', ['od', '-A', 'x', '-t', 'x1z', 'text.txt']), // busybox od has no GNU 'z' suffix: an error
  bb('od-x1-c', ['od', '-A', 'x', '-t', 'x1', '-c', 'text.txt']),
  bb('od-bin', ['od', '-A', 'd', '-t', 'x2', '-N', '40', 'bin.dat']),
  bb('hexdump-C', ['hexdump', '-C', 'bin.dat']),
  bb('head-n', ['head', '-n', '3', 'text.txt']),
  bb('head-c', ['head', '-c', '10', 'text.txt']),
  bb('tail-n', ['tail', '-n', '2', 'text.txt']),
  bb('tail-c-plus', ['tail', '-c', '+100', 'text.txt']),
  bb('tail-n-plus', ['tail', '-n', '+6', 'fruits.txt']),
  bb('cut-d-f', ['cut', '-d', ':', '-f', '1,3-4,7', 'passwd.txt']),
  bb('cut-c', ['cut', '-c', '2-5,10-', 'text.txt']),
  bb('tr-ranges', ['tr', 'a-z', 'A-Z'], { input: 'Hello, World! 123\n' }),
  bb('tr-d-s', ['sh', '-c', "tr -d 'aeiou' < text.txt; echo; echo 'aaabbbccc   dd' | tr -s 'a-z '; echo 'x1y2z3' | tr -cd '0-9\\n'"], { needsBinfmt: true }),
  sh('expr', 'expr 3 + 4; expr 10 / 3; expr 10 % 3; expr length hello; expr substr hello 2 3; expr index hello l; expr abc : "a\\(.\\)"; expr 5 \\> 3; expr 2 \\* 21; expr 0; echo "status $?"; expr 1 / 0; echo "status $?"'),
  sh('seq', 'seq 3; seq 2 3 11; seq -s, 5; echo; seq -w 8 11; seq 5 -2 0'),
  sh('test-brackets', 'for t in "1 -lt 2" "3 -le 2" "-f a.txt" "-d a.txt" "-d ." "-e nope" "-s a.txt" "abc = abc" "abc != abc" "-z \\"\\"" "-n x" "-x a.txt"; do eval "[ $t ]"; echo "[ $t ] -> $?"; done; test 5 -eq 5 -a 1 -ne 2; echo "and $?"; [ ! -r nope ] || echo no; [ 1 -lt x ]; echo "bad $?"'),
  bb('date-epoch0', ['date', '-d', '@0']),
  bb('date-u-d', ['date', '-u', '-d', '2001-02-03 04:05:06']),
  bb('date-format', ['date', '-u', '-d', '@1000000000', '+%Y-%m-%dT%H:%M:%S %z %Z %j %a %A %b %e %I %p %s %%']),
  sh('date-tz', 'TZ=EST5EDT date -d @1000000000; TZ=UTC-2 date -d @0 +%H:%M; date -u -d "2020-02-29 12:00" +%s'),
  bb('sleep', ['sleep', '0.1']),
  sh('true-false', 'busybox true; echo $?; busybox false; echo $?', { needsBinfmt: true }),
  bb('true', ['true']),
  bb('false', ['false']),
  bb('env', ['env'], { fixed: { stdout: () => 'PATH={bin}\nHOME=/tmp\nTZ=UTC\nLANG=C\n', why: ENV_ORDER, qemuDiffers: true } }),
  bb('env-i-u', ['env', '-u', 'HOME', '-u', 'TZ'], { fixed: { stdout: () => 'PATH={bin}\nLANG=C\n', why: ENV_ORDER, qemuDiffers: true } }),
  bb('env-run', ['env', '-i', 'A=1', 'B=2', 'C=3', 'env'], { needsBinfmt: true, fixed: { stdout: () => 'A=1\nB=2\nC=3\n', why: ENV_ORDER, qemuDiffers: true } }),
  bb('id-u', ['id', '-u'], { fixed: { stdout: () => `${process.getuid!()}\n`, why: "the host's id -u" } }),
  bb('id-g', ['id', '-g'], { fixed: { stdout: () => `${process.getgid!()}\n`, why: "the host's id -g" } }),
  bb('uname-m', ['uname', '-m']),
  bb('uname-s', ['uname', '-s']),
  sh('mkdir-p-rm-r', 'mkdir -p x/y/z; mkdir x/y/z 2>&1; echo "status $?"; find x | sort; rm -r x; ls; rm nope 2>&1; rm -f nope; echo "rm -f $?"'),
  sh('mv-cp-r', 'mkdir -p s/t; echo 1 > s/t/f; cp -r s c; mv s m; find c m | sort; cat c/t/f; mv a.txt z.txt; ls z.txt a.txt 2>&1; cp -p fruits.txt fp; stat -c "%Y %s" fp', { needsBinfmt: true }),
  sh('ln-s-readlink', 'ln -s a.txt sym; ln -s nowhere dangling; ln a.txt hard; readlink sym; readlink dangling; readlink a.txt; echo "not a link $?"; cat sym | head -1; readlink -f sym | sed "s|^$PWD|{pwd}|"; stat -c "%h %F" hard sym; [ -L sym ] && echo is-link; ls -l sym | awk "{print \\$1, \\$9, \\$10, \\$11}"', { needsBinfmt: true }),
  sh('chmod-stat', 'umask 022; touch f; chmod 751 f; stat -c "%a %s %F" f a.txt; chmod u-x,g+w,o= f; stat -c "%a %A" f; mkdir d; chmod 700 d; stat -c "%a %F" d; ln -s f l; stat -c "%F %N" l; chmod 4755 f; stat -c %a f'),
  sh('touch-stat', 'touch -d "2010-05-06 07:08:09" f; stat -c "%s %Y %y" f; touch -r a.txt g; stat -c "%Y" g a.txt; touch -c nope; ls nope 2>&1; touch -t 202001021314.15 h; date -u -r h'),
  sh('dd', 'dd if=/dev/zero bs=1k count=3 2>/dev/null | wc -c; echo "abc def" | dd conv=ucase 2>/dev/null; dd if=text.txt bs=1 skip=4 count=5 2>/dev/null; echo; dd if=bin.dat of=part bs=100 count=2 2>/dev/null; stat -c %s part', { needsBinfmt: true }),
  sh('dd-stderr', 'echo hello | dd of=/dev/null 2>&1 | head -2'),
  sh('diff-u', "touch -d '2020-01-01 00:00:00' a.txt b.txt; diff -u a.txt b.txt; echo \"status $?\"; diff a.txt a.txt; echo \"same $?\"", { needsBinfmt: true }),
  sh('cmp', 'cmp a.txt b.txt; echo "status $?"; cmp a.txt a.txt; echo "same $?"; cmp -s a.txt b.txt; echo "silent $?"', { needsBinfmt: true }),
  sh('basename-dirname', 'basename /usr/lib/libc.so.6; basename /a/b/c.tar.gz .gz; basename /; basename a/b/; dirname /usr/lib/libc.so.6; dirname a; dirname /a; dirname a/b/'),
  sh('misc-applets', 'echo hello world | rev; printf "b\\na\\nc\\n" | tac; printf "a\\tb\\n" | expand -t 4; echo "c2VjcmV0Cg==" | base64 -d; printf "x\\ny\\n" | nl; printf "1\\n2\\n" | paste - -; factor 360; echo $(yes | head -3)', { needsBinfmt: true }),
  sh('tee-mktemp-realpath', 'echo data | tee t1 t2 >/dev/null; cat t1 t2; realpath a.txt | sed "s|^$PWD|{pwd}|"; d=$(mktemp -d -p .); [ -d "$d" ] && echo tmpdir-ok', { needsBinfmt: true }),

  // --- exec paths: the foreign busybox must run itself again, never a host tool
  bb('busybox-list', ['--list']),
  sh('exec-busybox-applet', 'busybox echo hi; busybox wc -l < a.txt', { needsBinfmt: true }),
  bb('exec-readlink-self', ['readlink', '/proc/self/exe']),
  sh('exec-readlink-self-in-sh', 'readlink /proc/self/exe'),
  sh('exec-readlink-self-exec', 'exec readlink /proc/self/exe'),
  sh('exec-readlink-self-via-path', '"$PATH"/readlink /proc/self/exe; "$PATH"/sh -c "readlink /proc/self/exe"', { needsBinfmt: true }),
  sh('exec-ls-wc', 'ls | wc -l', { needsBinfmt: true }),
  sh('exec-ls-help', 'ls --help 2>&1 | head -1; wc --help 2>&1 | head -1; sed --help 2>&1 | head -1', { needsBinfmt: true }),
  sh('exec-type', 'type ls wc echo cd nosuch; command -v sh'),
  sh('exec-nested-sh', 'sh -c "sh -c \'echo deep; exit 3\'"; echo "status $?"', { needsBinfmt: true }),
];

// ---------------------------------------------------------------------------
// Running

/** One architecture's run of ROWS. */
export interface BusyboxArch {
  /** Debian architecture: test/fixtures/debian/ARCH/busybox, test/fixtures/expected/busybox-ARCH/. */
  arch: DebianArch;
  /** The qemu-user binary, and the environment variable that overrides it. */
  qemu: string;
  qemuEnv: string;
  /** Matches the `magic` line of this arch's binfmt_misc entry (/proc/sys/fs/binfmt_misc/<name>). */
  binfmtMagic: RegExp;
  /** Row ids left out of this arch's run (not recorded, not run): id -> the compat bug that keeps it out. */
  without?: Record<string, string>;
}

/** Defines the vitest suite running every row of ROWS for `cfg` (a test file calls this once). */
export function defineBusyboxSuite(cfg: BusyboxArch): void {
  const EXPECTED_DIR = process.env.COMPAT_BB_EXPECTED_DIR
    ? path.resolve(process.env.COMPAT_BB_EXPECTED_DIR)
    : path.join(REPO_ROOT, 'test', 'fixtures', 'expected', `busybox-${cfg.arch}`);
  const APPLETS_FILE = path.join(EXPECTED_DIR, 'applets.txt');
  const suite = `busybox-${cfg.arch}`;
  for (const id of Object.keys(cfg.without ?? {})) {
    if (!ROWS.some((r) => r.id === id)) throw new Error(`${suite}: 'without' names no row ${id}`);
  }
  const rows = ROWS.filter((r) => !(cfg.without && r.id in cfg.without));

  const recordMode = process.env.COMPAT_RECORD === '1';
  const runner = recordMode ? 'qemu' : testedRunner();

  function findQemu(): string | null {
    const want = process.env[cfg.qemuEnv] || cfg.qemu;
    const dirs = want.includes('/') ? [''] : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
    for (const dir of dirs) {
      const p = dir ? path.join(dir, want) : path.resolve(want);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        /* keep looking */
      }
    }
    return null;
  }
  const QEMU = findQemu();

  /** Is a qemu registered in binfmt_misc for this arch (enabled, the arch's ELF magic, flag P)? */
  function binfmtRegistered(): boolean {
    const dir = '/proc/sys/fs/binfmt_misc';
    try {
      for (const f of readdirSync(dir)) {
        if (f === 'register' || f === 'status') continue;
        const t = readFileSync(path.join(dir, f), 'utf8');
        if (/^enabled/m.test(t) && cfg.binfmtMagic.test(t) && /^flags:.*P/m.test(t)) return true;
      }
    } catch {
      /* binfmt_misc not mounted */
    }
    return false;
  }
  const haveBinfmt = binfmtRegistered();

  type Ref = { kind: 'live' | 'recorded' | 'fixed' | 'skip'; why: string };
  function plan(r: Row): Ref {
    if (r.fixed) {
      if (runner === 'qemu' && r.fixed.qemuDiffers) return { kind: 'skip', why: `qemu differs: ${r.fixed.why}` };
      return { kind: 'fixed', why: r.fixed.why };
    }
    if (runner === 'qemu') {
      if (r.needsBinfmt && !haveBinfmt) return { kind: 'skip', why: `${cfg.qemu} not in binfmt_misc, qemu cannot re-exec busybox` };
      return { kind: 'recorded', why: 'recorded' };
    }
    if (!QEMU) return { kind: 'recorded', why: `recorded (no ${cfg.qemu} on PATH)` };
    if (r.needsBinfmt && !haveBinfmt) return { kind: 'recorded', why: `recorded (${cfg.qemu} not in binfmt_misc)` };
    return { kind: 'live', why: `live ${cfg.qemu}` };
  }

  interface Outcome {
    stdout: string; // latin1, normalized
    stderr: string;
    status: string;
    raw: RunResult;
  }

  let scratchRoot = '';
  let binDir = '';
  let busyboxReal = '';
  let setupError: Error | null = null;

  function normalize(s: string, cwd: string): string {
    return s.split(cwd).join('{cwd}').split(binDir).join('{bin}').split(busyboxReal).join('{busybox}');
  }

  function populate(dir: string): void {
    for (const [name, content] of Object.entries(STD_FILES)) {
      const p = path.join(dir, name);
      writeFileSync(p, content);
      chmodSync(p, 0o644);
      utimesSync(p, FIXED_MTIME, FIXED_MTIME);
    }
  }

  async function runRow(r: Row, via: 'compat' | 'qemu'): Promise<Outcome> {
    const cwd = mkdtempSync(path.join(scratchRoot, 'w-'));
    try {
      populate(cwd);
      const opts = { cwd, env: { PATH: binDir, HOME: '/tmp', TZ: 'UTC', LANG: 'C' }, input: r.input ?? '', timeoutMs: RUN_TIMEOUT_MS };
      let raw: RunResult;
      if (via === 'qemu') {
        if (!QEMU) throw new Error(`${cfg.qemu} is not on PATH (set ${cfg.qemuEnv})`);
        raw = await runProcess(QEMU, [busyboxReal, ...r.args], opts);
      } else {
        raw = await runProcess(process.execPath, [COMPAT_JS, 'exec', busyboxReal, ...r.args], opts);
      }
      return {
        stdout: normalize(raw.stdout.toString('latin1'), cwd),
        stderr: normalize(raw.stderr, cwd),
        status: formatStatus(raw),
        raw,
      };
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }

  function recorded(r: Row): { stdout: string; stderr: string; status: string } {
    const base = path.join(EXPECTED_DIR, r.id);
    for (const ext of ['stdout', 'stderr', 'status']) {
      if (!existsSync(`${base}.${ext}`)) {
        throw new Error(`no recorded expectation ${path.relative(REPO_ROOT, base)}.${ext} (record with COMPAT_RECORD=1, see the file header)`);
      }
    }
    return {
      stdout: readFileSync(`${base}.stdout`).toString('latin1'),
      stderr: readFileSync(`${base}.stderr`, 'utf8'),
      status: readFileSync(`${base}.status`, 'utf8').trim(),
    };
  }

  const title = (r: Row) => `busybox ${r.args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}`;

  beforeAll(() => {
    try {
      busyboxReal = realpathSync(ensureDebianBusybox(cfg.arch));
      scratchRoot = realpathSync(mkdtempSync(path.join(tmpdir(), 'compat-bb-')));
      binDir = path.join(scratchRoot, 'bin');
      mkdirSync(binDir);
      let applets: string[];
      if (recordMode) {
        if (!QEMU) throw new Error(`COMPAT_RECORD=1 needs ${cfg.qemu} on PATH`);
        if (!haveBinfmt && process.env.COMPAT_RECORD_ALLOW_NO_BINFMT !== '1') throw new Error(`COMPAT_RECORD=1 needs ${cfg.qemu} registered in binfmt_misc with flag P (see the header of busybox-suite.ts)`);
        const l = spawnSync(QEMU, [busyboxReal, '--list'], { encoding: 'utf8', env: {} });
        if (l.status !== 0) throw new Error(`${cfg.qemu} busybox --list failed: ${l.stderr}`);
        mkdirSync(EXPECTED_DIR, { recursive: true });
        writeFileSync(APPLETS_FILE, l.stdout);
        applets = l.stdout.split('\n').filter(Boolean);
      } else {
        if (!existsSync(APPLETS_FILE)) throw new Error(`missing ${path.relative(REPO_ROOT, APPLETS_FILE)} (record with COMPAT_RECORD=1)`);
        applets = readFileSync(APPLETS_FILE, 'utf8').split('\n').filter(Boolean);
      }
      for (const a of applets) symlinkSync(busyboxReal, path.join(binDir, a));
    } catch (e) {
      // not rethrown: vitest would then mark every row "skipped"; each row fails with this instead
      setupError = e as Error;
    }
  });

  afterAll(() => {
    if (scratchRoot) rmSync(scratchRoot, { recursive: true, force: true });
  });

  const ids = new Set<string>();
  for (const r of ROWS) {
    if (ids.has(r.id)) throw new Error(`duplicate row id ${r.id}`);
    ids.add(r.id);
  }

  if (recordMode) {
    describe.concurrent(`${suite}: RECORDING expectations under ${cfg.qemu} (COMPAT_RECORD=1)`, () => {
      for (const r of rows) {
        if (r.fixed) continue;
        it(`record ${r.id}: ${title(r)}`, async ({ expect }) => {
          if (setupError) throw setupError;
          const a = await runRow(r, 'qemu');
          const b = await runRow(r, 'qemu');
          const ignore = (o: Outcome) => ({ ...o, raw: undefined, stderr: r.ignoreStderr ? '' : o.stderr });
          expect(ignore(b), `${r.id}: two ${cfg.qemu} runs differ (not deterministic)`).toEqual(ignore(a));
          const base = path.join(EXPECTED_DIR, r.id);
          writeFileSync(`${base}.stdout`, Buffer.from(a.stdout, 'latin1'));
          writeFileSync(`${base}.stderr`, r.ignoreStderr ? '' : a.stderr);
          writeFileSync(`${base}.status`, `${a.status}\n`);
        }, 4 * RUN_TIMEOUT_MS);
      }
    });
  } else {
    describe.concurrent(`${suite} under ${runner === 'qemu' ? `${cfg.qemu} (COMPAT_TEST_UNDER=qemu)` : 'compat exec'}`, () => {
      it('has a recorded expectation for every row, and no stale ones', ({ expect }) => {
        if (setupError) throw setupError;
        const want = new Set(['applets.txt']);
        for (const r of rows) {
          if (r.fixed) continue;
          for (const ext of ['stdout', 'stderr', 'status']) want.add(`${r.id}.${ext}`);
        }
        const have = new Set(existsSync(EXPECTED_DIR) ? readdirSync(EXPECTED_DIR) : []);
        expect([...want].filter((f) => !have.has(f)), 'missing recordings').toEqual([]);
        expect([...have].filter((f) => !want.has(f)), 'stale recordings').toEqual([]);
      });

      for (const r of rows) {
        const p = plan(r);
        const name = `${r.id}: ${title(r)} [reference: ${p.why}]`;
        if (p.kind === 'skip') {
          it.skip(name, () => {});
          continue;
        }
        it(name, async ({ expect }) => {
          if (setupError) throw setupError;
          const [got, ref] = await Promise.all([
            runRow(r, runner),
            p.kind === 'live' ? runRow(r, 'qemu') : Promise.resolve(p.kind === 'recorded' ? recorded(r) : null),
          ]);
          const want = ref ?? { stdout: r.fixed!.stdout(), stderr: '', status: '0' };
          const context =
            `reference: ${p.why}; ran: ${got.raw.command.join(' ')} (${got.raw.durationMs} ms)\n` +
            `stderr (last 3000 chars):\n${got.raw.stderr.slice(-3000)}`;
          expect(got.stdout, `stdout differs. ${context}`).toBe(want.stdout);
          if (!r.ignoreStderr) expect(got.stderr, `stderr differs. ${context}`).toBe(want.stderr);
          expect(got.status, `exit status differs. ${context}`).toBe(want.status);
        }, 2 * RUN_TIMEOUT_MS + 10_000);
      }
    });
  }
}
