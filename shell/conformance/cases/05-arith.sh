#### add
echo $((1 + 2))
#### precedence
echo $((2 + 3 * 4))
#### parens
echo $(((2 + 3) * 4))
#### division truncates
echo $((7 / 2))
#### negative division
echo $((-7 / 2))
#### modulo
echo $((17 % 5))
#### negative modulo
echo $((-17 % 5))
#### variables without dollar
a=5; b=3; echo $((a * b))
#### variables with dollar
a=5; echo $(($a + 1))
#### unset var is zero
echo $((nosuch + 1))
#### comparison
echo $((3 < 5)) $((5 < 3)) $((3 == 3)) $((3 != 3))
#### logical
echo $((1 && 0)) $((1 || 0)) $((!0)) $((!5))
#### bitwise
echo $((5 & 3)) $((5 | 3)) $((5 ^ 3)) $((~0))
#### shifts
echo $((1 << 4)) $((256 >> 2))
#### ternary
echo $((1 ? 10 : 20)) $((0 ? 10 : 20))
#### assignment
echo $((x = 4)); echo $x
#### compound assignment
x=10; echo $((x += 5)); echo $x
#### hex and octal
echo $((0x1f)) $((010))
#### unary minus
echo $((-5 + 2)) $((- -3))
#### nested arith
echo $(( $((2*3)) + 1 ))
#### division by zero
echo $((1 / 0)); echo notreached
#### large numbers
echo $((2147483647 + 1))
#### 64 bit
echo $((9223372036854775807))
#### variable containing expression
e="2+3"; echo $((e * 2))
#### comma operator
echo $((a=1, b=2, a+b))
#### arith in condition
i=3; if [ $((i % 2)) -eq 1 ]; then echo odd; fi
#### loop counter
i=0; while [ $i -lt 5 ]; do i=$((i+1)); done; echo $i
#### whitespace inside
echo $((   4   *   2   ))
#### arith syntax error
echo $((1 +)); echo notreached
#### short circuit assignment
x=0; echo $((0 && (x=5))); echo $x
#### comparison chain
echo $((1 < 2 && 2 < 3))
#### multiply negative
echo $((-3 * -4))
#### greater equal
echo $((5 >= 5)) $((5 <= 4))
