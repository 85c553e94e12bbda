#### default value unset
echo ${u:-def}
#### default value set
u=val; echo ${u:-def}
#### default empty with colon
u=; echo "[${u:-def}]"
#### default empty without colon
u=; echo "[${u-def}]"
#### default unset without colon
echo "[${nope-def}]"
#### assign default
echo ${newv:=assigned}; echo $newv
#### assign default keeps set
v=old; echo ${v:=new}; echo $v
#### alternate value
v=1; echo "[${v:+alt}]"
#### alternate unset
echo "[${nov:+alt}]"
#### alternate empty with colon
v=; echo "[${v:+alt}]"
#### alternate empty without colon
v=; echo "[${v+alt}]"
#### error if unset
echo ${nov:?custom message}; echo notreached
#### error if unset default message
echo ${nov?}; echo notreached
#### error not triggered
v=ok; echo ${v:?bad}
#### length
v=hello; echo ${#v}
#### length empty
v=; echo ${#v}
#### length of positional count
set -- a b c; echo ${#}
#### remove shortest suffix
f=file.tar.gz; echo ${f%.*}
#### remove longest suffix
f=file.tar.gz; echo ${f%%.*}
#### remove shortest prefix
p=/a/b/c; echo ${p#*/}
#### remove longest prefix
p=/a/b/c; echo ${p##*/}
#### suffix no match
f=abc; echo ${f%x}
#### prefix literal
f=prefix_rest; echo ${f#prefix_}
#### pattern with question mark
f=abcd; echo ${f#??}
#### pattern with bracket
f=a1b2; echo ${f%[0-9]}
#### quoted pattern literal star
f='a*b'; echo "${f#'a*'}"
#### pattern from variable
f=hello.txt; ext=.txt; echo ${f%$ext}
#### default with spaces splits unquoted
set -- ${nov:-a b c}; echo $#
#### default with spaces quoted
set -- "${nov:-a b c}"; echo $#
#### nested default
echo ${a:-${b:-inner}}
#### default with command substitution
echo ${nov:-$(echo computed)}
#### default not evaluated when set
v=set; echo ${v:-$(echo side >&2)}
#### dirname via pattern
p=/usr/local/bin/tool; echo ${p%/*}
#### length of unicode-free string
s="a b c"; echo ${#s}
#### positional default
set --; echo ${1:-none}
#### star pattern suffix all
v=aaa; echo "[${v%%a*}]"
#### remove prefix star shortest
v=aXbXc; echo ${v#*X}
#### remove prefix star longest
v=aXbXc; echo ${v##*X}
#### remove suffix star shortest
v=aXbXc; echo ${v%X*}
#### remove suffix star longest
v=aXbXc; echo ${v%%X*}
#### assign default to positional fails
echo ${1:=x}; echo after
#### arithmetic in default
echo ${nov:-$((1+2))}
