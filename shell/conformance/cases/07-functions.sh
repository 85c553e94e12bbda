#### define and call
f() { echo called; }; f
#### function args
f() { echo "$1-$2"; }; f a b
#### function arg count
f() { echo $#; }; f a b c
#### function return status
f() { return 7; }; f; echo $?
#### function last status
f() { false; }; f; echo $?
#### function positional restored
set -- outer; f() { set -- inner; echo $1; }; f; echo $1
#### function modifies global
f() { g=changed; }; g=orig; f; echo $g
#### recursion
fact() { if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }; fact 5
#### function with subshell body
f() ( x=inner; echo $x ); x=outer; f; echo $x
#### function redefinition
f() { echo one; }; f() { echo two; }; f
#### function name with underscore
my_func() { echo ok; }; my_func
#### function output piped
f() { echo a; echo b; }; f | wc -l | tr -d ' '
#### function return without value
f() { false; return; }; f; echo $?
#### return in loop in function
f() { for i in 1 2 3; do if [ $i = 2 ]; then return 5; fi; done; }; f; echo $?
#### function and dollar zero
f() { echo $0; }; f
#### function multiline
f()
{
  echo multi
}
f
#### function with redirect
f() { echo redirected; } > fr.txt; f; cat fr.txt
#### local shadow and restore
x=1; f() { local x; x=2; echo $x; }; f; echo $x
#### local sees outer in nested
f() { local v=fv; g; }; g() { echo $v; }; f
#### function exit exits shell
f() { exit 3; }; f; echo never
#### function called in condition
f() { return 1; }; if f; then echo yes; else echo no; fi
#### function overrides builtin name
echo() { printf 'wrapped:%s\n' "$*"; }; echo hi
#### command bypasses function
echo() { printf 'wrapped\n'; }; command echo plain
#### function in pipeline subshell
f() { x=5; }; f | cat; echo "[$x]"
#### break from function not loop
f() { echo f; }; for i in 1 2; do f; done
#### function with dollar at
f() { for a in "$@"; do echo "<$a>"; done; }; f "a b" c
#### return value modulo
f() { return 257; }; f; echo $?
