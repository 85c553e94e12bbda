#### output to file
echo hello > f1; cat f1
#### append
echo a > f2; echo b >> f2; cat f2
#### input from file
cat < a.txt
#### stderr to file
ls /nonexistent_path_xyz 2> err.txt; test -s err.txt && echo has-error
#### stderr to stdout
ls /nonexistent_path_xyz 2>&1 | grep -c nonexistent
#### stdout to stderr
echo to-stderr >&2
#### redirect order matters
ls /nonexistent_path_xyz 2>&1 >/dev/null | grep -c nonexist
#### dev null
echo gone > /dev/null; echo kept
#### truncate
echo long line > f3; echo s > f3; cat f3
#### input and output
cat < a.txt > copy.txt; cat copy.txt
#### redirect before command
> f4 echo first; cat f4
#### redirect in middle
echo a > f5 b; cat f5
#### missing input file
cat < nonexistent.txt; echo $?
#### redirect builtin output
pwd > p.txt; wc -l < p.txt | tr -d ' '
#### fd 3 dup
exec 3> f6; echo to3 >&3; exec 3>&-; cat f6
#### read from fd
exec 4< a.txt; read line <&4; echo $line; exec 4<&-
#### noclobber
set -C; echo a > nc; echo b > nc; echo $?; cat nc
#### noclobber override
set -C; echo a > nc2; echo b >| nc2; cat nc2
#### redirect compound if
if true; then echo in-if; fi > f7; cat f7
#### redirect for loop input
for i in 1; do cat; done < a.txt
#### redirect to directory fails
echo x > /; echo $?
#### redirect with variable filename
name=out8; echo data > $name; cat out8
#### heredoc basic
cat <<EOF
line one
line two
EOF
#### heredoc expansion
v=world; cat <<EOF
hello $v
EOF
#### heredoc quoted delimiter
v=world; cat <<'EOF'
hello $v
EOF
#### heredoc double quoted delimiter
cat <<"END"
$HOME stays
END
#### heredoc strip tabs
cat <<-EOF
	indented
		twice
	EOF
#### heredoc command substitution
cat <<EOF
$(echo computed)
EOF
#### heredoc arithmetic
cat <<EOF
$((6*7))
EOF
#### heredoc backslash
cat <<EOF
a\$b \\ c\d
EOF
#### heredoc to while read
while read a b; do echo "$b $a"; done <<EOF
1 one
2 two
EOF
#### two heredocs
cat <<A; cat <<B
first
A
second
B
#### heredoc in function
f() { cat <<EOF
in function $1
EOF
}; f arg
#### heredoc with pipe
cat <<EOF | tr a-z A-Z
shout
EOF
#### heredoc empty
cat <<EOF
EOF
echo after
#### heredoc quotes kept
cat <<EOF
"quoted" 'single'
EOF
#### here doc to fd
cat 3<<EOF <&3
via three
EOF
#### stdin redirect to builtin read
read x < a.txt; echo $x
#### append creates
echo new >> created.txt; cat created.txt
#### both redirects order
{ echo out; echo err >&2; } > both.txt 2>&1; sort both.txt
#### close stdout
echo test >&-; echo $? >/dev/null; echo after
#### redirect error does not run command
echo should-not-print < nonexistent; echo $?
