#### echo simple
echo hello world
#### echo multiple spaces collapse
echo a    b     c
#### echo -n
echo -n abc; echo def
#### semicolons
echo a; echo b; echo c
#### exit status true
true; echo $?
#### exit status false
false; echo $?
#### exit code propagated
exit 3
#### exit with no arg uses last status
false; exit
#### and list
true && echo yes
#### and list short circuit
false && echo yes; echo $?
#### or list
false || echo fallback
#### or list short circuit
true || echo no; echo $?
#### and or chain
false && echo a || echo b
#### negation
! false; echo $?; ! true; echo $?
#### comment
echo a # this is a comment
#### hash inside word
echo a#b
#### line continuation
echo a\
b
#### empty command list
;
#### newline separated
echo one
echo two
#### command not found status
nosuchcommand_xyz; echo $?
#### command not found stderr only
nosuchcommand_xyz 2>/dev/null; echo after
#### colon builtin
: ignored args; echo $?
#### semicolon after background-free
echo x;
#### brace group
{ echo a; echo b; }
#### brace group status
{ false; }; echo $?
#### subshell
(echo in sub)
#### subshell variable isolation
x=1; (x=2; echo $x); echo $x
#### subshell exit
(exit 4); echo $?
#### subshell cd isolation
(cd /; pwd); pwd | sed 's|.*/||' | grep -c tsh-conf
#### nested subshell
( ( echo deep ) )
#### group redirect
{ echo a; echo b; } > out.txt; cat out.txt
#### exit in group ends shell
{ echo before; exit 2; echo never; }; echo never2
#### true false builtins
true; a=$?; false; b=$?; echo $a $b
#### status of pipeline is last
false | true; echo $?
#### status of pipeline last fails
true | false; echo $?
#### bang pipeline
! true | false; echo $?
#### long and chain
true && true && true && echo ok
#### mixed newlines in and list
true &&
echo continued
#### pipe continuation
echo abc |
cat
#### exit inside subshell in pipeline
echo x | (exit 3); echo $?
