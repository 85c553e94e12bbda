#### printf d
printf '%d %d\n' 42 -7
#### printf padded
printf '[%5s][%-5s]\n' ab cd
#### printf zero pad
printf '%05d\n' 42
#### printf reuse format
printf '%s\n' a b c
#### printf hex octal
printf '%x %X %o\n' 255 255 8
#### printf float
printf '%.2f\n' 3.14159
#### printf char
printf '%c\n' hello
#### printf escapes
printf 'a\tb\n'
#### printf b
printf '%b\n' 'x\ty'
#### printf missing args
printf '%s-%s\n' only
#### printf precision string
printf '%.3s\n' abcdef
#### printf invalid number
printf '%d\n' abc; echo $?
#### printf plus flag
printf '%+d\n' 5
#### printf octal escape
printf '\101\n'
#### test string equal
test abc = abc && echo eq
#### test string not equal
[ a != b ] && echo ne
#### test integer
[ 10 -gt 9 ] && echo gt
#### test integer error
[ a -eq 1 ]; echo $?
#### test -z -n
[ -z "" ] && [ -n x ] && echo ok
#### test file
[ -f a.txt ] && [ -d dir ] && [ ! -e nope ] && echo files
#### test -s
: > empty; [ -s a.txt ] && [ ! -s empty ] && echo sizes
#### test not
[ ! a = b ] && echo not
#### test and or
[ 1 -eq 1 -a 2 -eq 2 ] && [ 1 -eq 2 -o 2 -eq 2 ] && echo andor
#### test parens
[ \( 1 -eq 1 \) ] && echo paren
#### test single arg
[ x ] && echo nonempty; [ "" ] || echo empty
#### test missing bracket
[ 1 -eq 1; echo $?
#### test -x
[ -x /bin/sh ] && echo exec
#### cat number
cat -n a.txt
#### cat multiple
cat a.txt nums.txt | wc -l
#### cat missing file
cat nofile; echo $?
#### head default
seq 20 | head
#### head n
head -n 2 a.txt
#### head minus number
head -1 a.txt
#### tail n
tail -n 2 a.txt
#### tail plus
tail -n +2 a.txt
#### wc all
wc a.txt
#### wc lines stdin
wc -l < a.txt
#### wc words
echo one two three | wc -w
#### grep basic
grep an a.txt
#### grep -i -v -n
grep -in A a.txt; grep -v an a.txt
#### grep -c
grep -c a a.txt
#### grep no match status
grep zzz a.txt; echo $?
#### grep -E alternation
grep -E 'apple|cherry' a.txt
#### grep -r
grep -r int dir | sort
#### grep BRE group
echo aaa | grep 'a\{3\}'
#### sort default
sort nums.txt
#### sort numeric reverse
sort -nr nums.txt
#### sort unique
sort -u nums.txt
#### uniq count
sort nums.txt | uniq -c
#### cut fields
echo 'a:b:c' | cut -d: -f2
#### cut range
echo 'a:b:c:d' | cut -d: -f2-3
#### cut chars
echo abcdef | cut -c2-4
#### tr upper
echo hello | tr a-z A-Z
#### tr delete
echo hello | tr -d l
#### tr squeeze
echo 'aaa   bbb' | tr -s ' '
#### tee file
echo teed | tee t.out > /dev/null; cat t.out
#### find name
find dir -name '*.c' | sort
#### find type d
find dir -type d | sort
#### xargs basic
printf 'a\nb\n' | xargs echo
#### xargs -n
printf '1 2 3 4\n' | xargs -n 2 echo
#### seq range
seq 2 5
#### seq step
seq 1 3 10
#### basename dirname
basename /a/b/c.txt; basename /a/b/c.txt .txt; dirname /a/b/c.txt; dirname file
#### mkdir -p rmdir
mkdir -p p/q/r && rmdir p/q/r && ls p
#### cp mv rm
cp a.txt c.txt && mv c.txt d.txt && cat d.txt && rm d.txt && ls d.txt 2>/dev/null; echo $?
#### cp -r
cp -r dir dir2 && find dir2 | sort
#### rm -r
rm -r dir && ls
#### rm -f missing
rm -f nothing; echo $?
#### ln -s
ln -s a.txt link && cat link && [ -L link ] && echo islink
#### touch creates
touch newfile && ls newfile
#### ls plain
ls
#### ls -a
ls -a dir
#### ls -R
ls -R dir
#### env prints
env | grep -c '^HOME='
#### env runs command
env FOO=bar sh -c 'echo $FOO'
#### chmod
touch f; chmod 700 f; [ -x f ] && echo x
#### date format
date -d @0 -u +%Y-%m-%d
#### echo -e is not needed
echo a b
#### which finds sh
which sh >/dev/null; echo $?
#### sleep zero
sleep 0; echo $?
#### du summary exists
du -s dir | cut -f2
