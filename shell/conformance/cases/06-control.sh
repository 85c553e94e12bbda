#### if true
if true; then echo yes; fi
#### if false else
if false; then echo yes; else echo no; fi
#### elif chain
x=2; if [ $x = 1 ]; then echo one; elif [ $x = 2 ]; then echo two; else echo other; fi
#### if status when no branch
if false; then :; fi; echo $?
#### if condition status
if false; then :; else echo $?; fi
#### nested if
if true; then if false; then echo a; else echo b; fi; fi
#### if multiline
if true
then
  echo multi
fi
#### for list
for i in 1 2 3; do echo $i; done
#### for empty list
for i in; do echo $i; done; echo done
#### for positional default
set -- x y; for a; do echo $a; done
#### for glob
for f in *.txt; do echo $f; done
#### for no glob match
for f in *.nomatch; do echo $f; done
#### for variable persists
for i in a b c; do :; done; echo $i
#### while loop
i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done
#### until loop
i=0; until [ $i -ge 3 ]; do echo $i; i=$((i+1)); done
#### while false never runs
while false; do echo never; done; echo $?
#### break
for i in 1 2 3 4; do if [ $i = 3 ]; then break; fi; echo $i; done
#### continue
for i in 1 2 3 4; do if [ $i = 2 ]; then continue; fi; echo $i; done
#### break 2
for i in 1 2; do for j in a b; do echo $i$j; break 2; done; done; echo out
#### continue 2
for i in 1 2; do for j in a b; do echo $i$j; continue 2; done; echo never; done
#### while with break status
while true; do break; done; echo $?
#### loop status is last body
for i in 1; do false; done; echo $?
#### case basic
case abc in abc) echo exact;; esac
#### case glob
case hello in h*) echo h-word;; *) echo other;; esac
#### case default
case zzz in a) echo a;; *) echo default;; esac
#### case alternatives
case b in a|b|c) echo abc;; esac
#### case no match status
case x in y) echo y;; esac; echo $?
#### case bracket
case 5 in [0-9]) echo digit;; esac
#### case negated bracket
case x in [!0-9]) echo nondigit;; esac
#### case quoted pattern
case '*' in '*') echo star;; *) echo other;; esac
#### case variable pattern
p='a*'; case abc in $p) echo var-pattern;; esac
#### case quoted variable pattern literal
p='a*'; case abc in "$p") echo literal;; *) echo no;; esac
#### case leading paren
case x in (x) echo paren;; esac
#### case empty body
case a in a) ;; esac; echo ok
#### case last without double semicolon
case a in a) echo last
esac
#### case multiline
case foo in
  foo)
    echo one
    echo two
    ;;
  bar) echo bar ;;
esac
#### case with question mark
case ab in ??) echo two;; esac
#### case status of body
case a in a) false;; esac; echo $?
#### while read loop
printf 'a\nb\nc\n' | while read l; do echo "got $l"; done
#### for with command substitution
for w in $(echo x y z); do echo $w; done
#### nested loops
for i in 1 2; do for j in a b; do echo $i$j; done; done
#### until with break
until false; do echo once; break; done
#### if with pipeline condition
if echo abc | grep -q b; then echo found; fi
#### if with and list condition
if true && false; then echo yes; else echo no; fi
#### case in loop
for x in a1 b2 c3; do case $x in a*) echo A;; b*) echo B;; *) echo C;; esac; done
#### keywords as args
echo if then else fi do done
#### while body redirect
i=0; while [ $i -lt 2 ]; do echo $i; i=$((i+1)); done > w.txt; cat w.txt
#### for loop over lines with IFS
IFS='
'; for l in $(printf 'a b\nc d\n'); do echo "[$l]"; done
