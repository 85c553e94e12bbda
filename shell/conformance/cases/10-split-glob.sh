#### IFS colon split
IFS=:; v=a:b:c; set -- $v; echo $#
#### IFS empty fields
IFS=:; v=a::b; set -- $v; echo $#
#### IFS trailing delimiter
IFS=:; v=a:b:; set -- $v; echo $#
#### IFS leading delimiter
IFS=:; v=:a; set -- $v; echo $#
#### IFS whitespace collapse
v='  a   b  '; set -- $v; echo $#
#### IFS empty no split
IFS=; v='a b c'; set -- $v; echo $#
#### IFS mixed
IFS=' :'; v='a : b'; set -- $v; echo $# $1 $2
#### unset IFS default
unset IFS; v='a b'; set -- $v; echo $#
#### split with literal prefix
v=' a'; set -- x$v; echo $#
#### glob star
echo *.txt
#### glob question
echo ?.txt
#### glob bracket
echo [ab].txt
#### glob negated bracket
echo [!a].txt
#### glob no match literal
echo *.zzz
#### glob in subdir
echo dir/*.c
#### glob dotfiles hidden
touch .hidden; echo *hidden*
#### glob dotfiles explicit
touch .hidden; echo .h*
#### glob with set -f
set -f; echo *.txt
#### glob quoted part
echo "a".t*
#### glob directory trailing slash
echo d*/
#### glob from variable
p='*.txt'; echo $p
#### glob from quoted variable
p='*.txt'; echo "$p"
#### glob sorted
touch c1 b1 a1; echo ?1
#### glob two levels
echo */*.c
#### glob char class
touch 1x 2x ax; echo [[:digit:]]x
