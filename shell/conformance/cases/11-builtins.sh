#### set -e exits
set -e; false; echo never
#### set -e if condition ok
set -e; if false; then :; fi; echo reached
#### set -e and list
set -e; false && true; echo reached
#### set -e or list last fails
set -e; true || false; echo reached
#### set -e negation
set -e; ! true; echo reached
#### set -e subshell
set -e; (false); echo never
#### set -e in while condition
set -e; while false; do :; done; echo reached
#### set -e function
set -e; f() { false; echo no; }; f; echo never
#### set +e
set -e; set +e; false; echo reached
#### set -u unset error
set -u; echo $nosuch; echo never
#### set -u with default ok
set -u; echo ${nosuch:-ok}
#### set -u dollar at ok
set -u; set --; echo "$@" done
#### set -x traces
set -x; echo traced 2>/dev/null
#### set -- resets
set -- a b; set --; echo $#
#### set -o errexit
set -o errexit; false; echo never
#### eval simple
eval echo hi
#### eval variable
cmd='echo evaluated'; eval $cmd
#### eval assignment
eval 'x=5'; echo $x
#### eval double expansion
a=b; b=final; eval echo \$$a
#### eval syntax error
eval 'if'; echo $?
#### dot source
echo 'sourced=yes' > s.sh; . ./s.sh; echo $sourced
#### dot with return
printf 'echo in\nreturn 3\necho no\n' > r.sh; . ./r.sh; echo $?
#### dot missing file
. ./nosuchfile.sh; echo notreached
#### read basic
echo 'hello world' | { read a b; echo "$b $a"; }
#### read last var gets rest
echo 'a b c d' | { read x y; echo "$y"; }
#### read no var REPLY
echo line | { read; echo $REPLY; }
#### read eof status
printf 'noeol' | { read x; echo $? $x; }
#### read empty input
read x < /dev/null; echo $?
#### read backslash
printf 'a\\ b\n' | { read x; echo "$x"; }
#### read raw
printf 'a\\ b\n' | { read -r x; echo "$x"; }
#### read with IFS
echo 'a:b:c' | { IFS=: read x y z; echo $y; }
#### read strips whitespace
echo '   spaced   ' | { read x; echo "[$x]"; }
#### read multiple lines
printf 'l1\nl2\n' | { read a; read b; echo $b $a; }
#### read in loop counts
printf '1\n2\n3\n' | { n=0; while read l; do n=$((n+l)); done; echo $n; }
#### getopts basic
set -- -a -b val arg; while getopts ab: o; do echo "$o ${OPTARG:-}"; done; shift $((OPTIND-1)); echo "$@"
#### getopts combined
set -- -ab; while getopts ab o; do echo $o; done
#### getopts invalid
set -- -z; getopts a o 2>/dev/null; echo $o
#### getopts silent missing arg
set -- -a; getopts :a: o; echo "$o $OPTARG"
#### trap exit
trap 'echo bye' EXIT; echo main
#### trap exit on exit builtin
trap 'echo cleanup' EXIT; exit 3
#### trap reset
trap 'echo x' EXIT; trap - EXIT; echo done
#### trap list
trap 'echo hi' EXIT; trap | grep -c EXIT
#### trap in subshell
(trap 'echo sub-exit' EXIT; echo in-sub); echo after
#### trap signal
# subprocess
trap 'echo got-usr1' USR1; kill -USR1 $$; echo after
#### trap ignore signal
# subprocess
trap '' TERM; kill -TERM $$; echo survived
#### trap exit status preserved
trap 'echo trap' EXIT; false
#### kill -l number
kill -l 15
#### background and wait
sleep 0.1 & wait; echo waited
#### wait status
(exit 7) & wait $!; echo $?
#### background output
echo bg-out & wait
#### multiple background jobs
echo a > o1 & echo b > o2 & wait; cat o1 o2
#### command -v builtin
command -v cd
#### command -v missing
command -v nosuchcmd_zz; echo $?
#### type function
f() { :; }; type f | head -1
#### exec redirect persistent
exec > out.txt; echo into-file; exec >&2; cat out.txt >&2
#### exec command
exec echo replaced; echo never
#### umask set
# subprocess
umask 027; umask
#### cd and pwd
mkdir -p d1/d2; cd d1/d2; pwd | sed 's|.*/d1|d1|'
#### cd nonexistent
cd /nonexistent_dir_zz; echo $?
#### cd dash
cd /; cd /tmp; cd - >/dev/null; pwd
#### cd home
HOME=/; cd; pwd
#### pwd after cd dotdot
mkdir -p x/y; cd x/y; cd ..; basename $(pwd)
#### export in function
f() { export FX=1; }; f; sh -c 'echo $FX'
#### readonly unset fails
readonly RO=1; unset RO; echo $RO
#### shift in function
f() { shift; echo $1; }; f a b
#### local readonly-free
f() { local a b=2; a=1; echo $a$b; }; f
#### true with args
true a b c; echo $?
#### break outside loop ignored
break; echo still
#### colon with redirect creates
: > made.txt; test -f made.txt && echo made
#### dollar question after builtin failure
cd /nonexistent_zz 2>/dev/null; echo $?
#### return at top level of dot
printf 'return 0\n' > rt.sh; . ./rt.sh; echo ok
