#### exec keeps the shell's pid
# subprocess
echo $$ > pid; exec /bin/sh -c 'read p < pid; [ "$p" = "$$" ] && echo same pid'
#### exec does not return
# subprocess
exec /bin/echo one; echo never
#### exec status is the program's
# subprocess
exec /bin/sh -c 'exit 7'
#### exec of a missing program
# subprocess
exec /nonexistent/prog; echo never
#### exec passes exported variables
# subprocess
FOO=bar; export FOO; BAR=unexported; exec /bin/sh -c 'echo "$FOO-$BAR"'
#### exec applies redirections first
# subprocess
exec /bin/sh -c 'echo to-err >&2; echo out' 2>&1
#### exec program sees only 0 1 2 and redirected fds
# subprocess
exec 5>/dev/null; exec /bin/sh -c 'for fd in 3 4 5 6 7 8 9; do [ -e /proc/self/fd/$fd ] && echo open $fd; done; echo checked'
#### exec with fd redirection on the command
# subprocess
exec /bin/sh -c 'for fd in 3 4 5 6 7 8 9; do [ -e /proc/self/fd/$fd ] && echo open $fd; done; echo checked' 4</dev/null
#### exec program gets default SIGPIPE
# subprocess
exec /bin/sh -c '/usr/bin/yes | /usr/bin/head -n 2'
#### exec keeps signals the script ignores
# subprocess
trap '' INT; exec /bin/grep SigIgn /proc/self/status
#### exec runs in the shell's directory
# subprocess
cd dir; exec /bin/pwd
#### exec with only redirections keeps running
# subprocess
exec 3>&1 >out.txt; echo redirected; /bin/echo external; exec >&3 3>&-; cat out.txt
#### exec in a subshell ends only the subshell
# subprocess
(exec /bin/echo inside); echo after
#### exec in a pipeline stage
# subprocess
echo piped | exec /bin/cat; echo after
