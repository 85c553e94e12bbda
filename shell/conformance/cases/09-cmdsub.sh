#### dollar paren
echo $(echo hi)
#### backticks
echo `echo hi`
#### trailing newlines stripped
x=$(printf 'a\n\n\n'); echo "[$x]"
#### inner newlines kept quoted
x=$(printf 'a\nb'); echo "$x"
#### inner newlines split unquoted
x=$(printf 'a\nb'); echo $x
#### nested
echo $(echo $(echo nested))
#### nested backticks escaped
echo `echo \`echo inner\``
#### status of cmdsub
x=$(exit 3); echo $?
#### cmdsub in double quotes
echo "result: $(echo a   b)"
#### cmdsub with pipeline
echo $(echo abc | tr a-c x-z)
#### cmdsub with case paren
echo $(case a in a) echo matched;; esac)
#### cmdsub variable isolation
x=1; y=$(x=2; echo $x); echo $x $y
#### cmdsub with quotes inside
echo "$(echo "a  b")"
#### cmdsub arithmetic mix
echo $(( $(echo 3) + 4 ))
#### cmdsub multiline
x=$(
echo one
echo two
); echo $x
#### cmdsub exit does not exit shell
x=$(exit 1); echo still
#### cmdsub empty
x=$(true); echo "[$x]"
#### cmdsub field splitting
set -- $(echo a b c); echo $#
#### cmdsub no split when quoted
set -- "$(echo a b c)"; echo $#
#### cmdsub with stderr not captured
x=$(echo err >&2; echo out) 2>/dev/null; echo $x
#### cmdsub of function
f() { echo from-f; }; echo $(f)
#### cmdsub cd isolated
d=$(cd /; pwd); echo $d
#### backtick with dollar
x=val; echo `echo $x`
#### cmdsub glob result
echo $(echo '*.txt')
#### cmdsub for loop
for i in $(seq 3); do printf '%s,' $i; done; echo
#### cmdsub with heredoc
x=$(cat <<EOF
heredoc in sub
EOF
); echo "$x"
