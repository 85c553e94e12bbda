#### single quotes
echo 'a  b   c'
#### single quotes keep dollar
echo '$HOME'
#### double quotes expand
x=val; echo "x is $x"
#### double quotes keep spaces
x='a   b'; echo "$x"
#### unquoted collapses spaces
x='a   b'; echo $x
#### backslash escapes space
echo a\ \ b
#### backslash in double quotes dollar
printf '%s\n' "\$x"
#### backslash in double quotes other
printf '%s\n' "a\b"
#### backslash quote in double quotes
printf '%s\n' "say \"hi\""
#### single quote inside double
echo "it's"
#### double quote inside single
echo 'say "x"'
#### adjacent quoting concatenates
echo 'a'"b"c
#### empty string argument
printf '[%s]\n' "" ''
#### empty quotes count as arg
set -- "" ""; echo $#
#### dollar at end
echo $
#### dollar before space
echo a $ b
#### escaped newline inside double quotes
echo "a\
b"
#### quoted hash
echo '#notcomment' "#also"
#### backslash backslash
printf '%s\n' \\
#### single quotes backslash literal
printf '%s\n' 'a\nb'
#### quoted glob not expanded
echo "*.txt"
#### escaped glob not expanded
echo \*.txt
#### backtick quoting
echo `echo 'a  b'`
#### nested double quotes in command substitution
echo "$(echo "inner quoted")"
#### tilde expansion
HOME=/home/someone; echo ~
#### tilde with path
HOME=/h; echo ~/x
#### quoted tilde
HOME=/h; echo "~" '~'
#### tilde not at start
HOME=/h; echo a~
#### dollar single quote preserved in dq
HOME=/h/x; echo "'$HOME'"
#### printf with percent
printf '100%%\n'
