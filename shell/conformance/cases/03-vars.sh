#### assignment and use
a=1; echo $a
#### braces
a=x; echo ${a}y
#### unset var is empty
echo "[$nosuchvar]"
#### unset command
a=1; unset a; echo "[$a]"
#### assignment with spaces needs quotes
a="one two"; echo $a
#### multiple assignments
a=1 b=2; echo $a $b
#### assignment sees previous
a=1 b=$a; echo $b
#### prefix assignment to external
FOO=bar sh -c 'echo $FOO'
#### prefix assignment not kept
FOO=bar true; echo "[$FOO]"
#### export to child
export EXP=yes; sh -c 'echo $EXP'
#### export then assign
export LATER; LATER=v; sh -c 'echo $LATER'
#### not exported
NOEXP=1; sh -c 'echo "[$NOEXP]"'
#### unset exported
export U=1; unset U; sh -c 'echo "[$U]"'
#### readonly
readonly R=1; echo $R
#### readonly assignment fails
readonly R=1; R=2; echo after
#### positional parameters
set -- a b c; echo $1 $2 $3 $#
#### positional beyond 9
set -- 1 2 3 4 5 6 7 8 9 10 11; echo ${10} ${11}
#### $0 with -c name
echo $0
#### shift
set -- a b c; shift; echo $@
#### shift n
set -- a b c d; shift 2; echo $*
#### shift too many
set -- a; shift 3; echo notreached
#### dollar at quoted
set -- "a b" c; for x in "$@"; do echo "[$x]"; done
#### dollar star quoted
set -- "a b" c; for x in "$*"; do echo "[$x]"; done
#### dollar at unquoted splits
set -- "a b" c; for x in $@; do echo "[$x]"; done
#### dollar star with IFS
set -- a b c; IFS=:; echo "$*"
#### empty dollar at
set --; for x in "$@"; do echo "[$x]"; done; echo done
#### dollar at with prefix
set -- a b; printf '[%s]\n' "x$@y"
#### dollar hash
set -- 1 2 3; echo $#
#### dollar question after false
false; echo $?
#### dollar dollar is number
case $$ in *[!0-9]*) echo bad;; *) echo ok;; esac
#### dollar bang after background
true & case $! in [0-9]*) echo ok;; esac; wait
#### dollar minus contains flags
set -e; case $- in *e*) echo has-e;; esac
#### variable name with underscore
_a_1=v; echo $_a_1
#### variable followed by text
a=x; echo $a_b "[$a]"
#### assignment of command substitution
a=$(echo hi); echo $a
#### assignment no field splitting
a="x   y"; b=$a; echo "$b"
#### assignment no globbing
a=*; echo "$a"
#### set prints variable
myvar=abc; set | grep '^myvar='
#### local in function
f() { local x=inner; echo $x; }; x=outer; f; echo $x
#### local unset afterwards
f() { local y=1; }; f; echo "[$y]"
#### env var from environment
echo $HOME | grep -c conf
#### export -p shows
export ZZZ=1; export -p | grep -c ZZZ
#### unset function
f() { echo f; }; unset -f f; f 2>/dev/null || echo gone
#### IFS default
printf '[%s]' "$IFS" | od -c | head -1 | tr -s ' '
#### assignment status from cmdsub
a=$(false); echo $?
#### special var in braces
set -- x y; echo ${#} ${1}
