#include "textflag.h"

// func dot2(x, r, s []float64) (a, b float64)
//
// a = Σ x[i]·r[i] and b = Σ x[i]·s[i], each summed exactly as gonum's
// f64.DotUnitary sums one dot product on amd64 (SSE2): lanes i mod 4 in
// two registers of two, the tail into the first lane, then
// (l0 + l2) + (l1 + l3). x is read once for both. len(r) and len(s) are
// at least len(x) (the Go wrapper slices them).
TEXT ·dot2(SB), NOSPLIT, $0-88
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ r_base+24(FP), DI
	MOVQ s_base+48(FP), DX
	XORPS X7, X7
	XORPS X8, X8
	XORPS X9, X9
	XORPS X10, X10
	XORQ AX, AX
	SUBQ $4, CX
	JL   tail

loop:
	MOVUPD 0(SI)(AX*8), X0
	MOVUPD 16(SI)(AX*8), X1
	MOVUPD 0(DI)(AX*8), X2
	MOVUPD 16(DI)(AX*8), X3
	MOVUPD 0(DX)(AX*8), X4
	MOVUPD 16(DX)(AX*8), X5
	MULPD  X0, X2
	MULPD  X1, X3
	MULPD  X0, X4
	MULPD  X1, X5
	ADDPD  X2, X7
	ADDPD  X3, X8
	ADDPD  X4, X9
	ADDPD  X5, X10
	ADDQ   $4, AX
	SUBQ   $4, CX
	JGE    loop

tail:
	ADDQ $4, CX
	JLE  end

onemore:
	MOVSD 0(SI)(AX*8), X0
	MOVSD 0(DI)(AX*8), X2
	MOVSD 0(DX)(AX*8), X4
	MULSD X0, X2
	MULSD X0, X4
	ADDSD X2, X7
	ADDSD X4, X9
	INCQ  AX
	DECQ  CX
	JNZ   onemore

end:
	ADDPD    X8, X7
	MOVAPD   X7, X0
	UNPCKHPD X7, X7
	ADDSD    X0, X7
	MOVSD    X7, a+72(FP)
	ADDPD    X10, X9
	MOVAPD   X9, X0
	UNPCKHPD X9, X9
	ADDSD    X0, X9
	MOVSD    X9, b+80(FP)
	RET

// func dot4(x, r0, r1, r2, r3 []float64) (a0, a1, a2, a3 float64)
//
// Four dot products with x in one pass over it, each summed as dot2's.
TEXT ·dot4(SB), NOSPLIT, $0-152
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	MOVQ r0_base+24(FP), DI
	MOVQ r1_base+48(FP), DX
	MOVQ r2_base+72(FP), R8
	MOVQ r3_base+96(FP), R9
	XORPS X8, X8
	XORPS X9, X9
	XORPS X10, X10
	XORPS X11, X11
	XORPS X12, X12
	XORPS X13, X13
	XORPS X14, X14
	XORPS X15, X15
	XORQ  AX, AX
	SUBQ  $4, CX
	JL    tail4

loop4:
	MOVUPD 0(SI)(AX*8), X0
	MOVUPD 16(SI)(AX*8), X1
	MOVUPD 0(DI)(AX*8), X2
	MOVUPD 16(DI)(AX*8), X3
	MOVUPD 0(DX)(AX*8), X4
	MOVUPD 16(DX)(AX*8), X5
	MULPD  X0, X2
	MULPD  X1, X3
	MULPD  X0, X4
	MULPD  X1, X5
	ADDPD  X2, X8
	ADDPD  X3, X9
	ADDPD  X4, X10
	ADDPD  X5, X11
	MOVUPD 0(R8)(AX*8), X2
	MOVUPD 16(R8)(AX*8), X3
	MOVUPD 0(R9)(AX*8), X4
	MOVUPD 16(R9)(AX*8), X5
	MULPD  X0, X2
	MULPD  X1, X3
	MULPD  X0, X4
	MULPD  X1, X5
	ADDPD  X2, X12
	ADDPD  X3, X13
	ADDPD  X4, X14
	ADDPD  X5, X15
	ADDQ   $4, AX
	SUBQ   $4, CX
	JGE    loop4

tail4:
	ADDQ $4, CX
	JLE  end4

onemore4:
	MOVSD 0(SI)(AX*8), X0
	MOVSD 0(DI)(AX*8), X2
	MOVSD 0(DX)(AX*8), X3
	MOVSD 0(R8)(AX*8), X4
	MOVSD 0(R9)(AX*8), X5
	MULSD X0, X2
	MULSD X0, X3
	MULSD X0, X4
	MULSD X0, X5
	ADDSD X2, X8
	ADDSD X3, X10
	ADDSD X4, X12
	ADDSD X5, X14
	INCQ  AX
	DECQ  CX
	JNZ   onemore4

end4:
	ADDPD    X9, X8
	MOVAPD   X8, X0
	UNPCKHPD X8, X8
	ADDSD    X0, X8
	MOVSD    X8, a0+120(FP)
	ADDPD    X11, X10
	MOVAPD   X10, X0
	UNPCKHPD X10, X10
	ADDSD    X0, X10
	MOVSD    X10, a1+128(FP)
	ADDPD    X13, X12
	MOVAPD   X12, X0
	UNPCKHPD X12, X12
	ADDSD    X0, X12
	MOVSD    X12, a2+136(FP)
	ADDPD    X15, X14
	MOVAPD   X14, X0
	UNPCKHPD X14, X14
	ADDSD    X0, X14
	MOVSD    X14, a3+144(FP)
	RET

// func colCross8AVX(cross []float64, rows *[8]*float64, p *[8]float64)
//
// For i < len(cross), eight days' returns of one instrument into its
// p-weighted sum, four instruments per AVX2 instruction, bit for bit as
// [colCross8Go]: cross[i] gains p_d·r_d[i] for d = 0..7 in turn, each by
// one fused multiply-add. The rows are at least len(cross) long (the Go
// wrapper checks). Needs AVX2 and FMA.
TEXT ·colCross8AVX(SB), NOSPLIT, $0-40
	MOVQ         cross_base+0(FP), SI
	MOVQ         cross_len+8(FP), CX
	MOVQ         p+32(FP), R10
	VBROADCASTSD 0(R10), Y8
	VBROADCASTSD 8(R10), Y9
	VBROADCASTSD 16(R10), Y10
	VBROADCASTSD 24(R10), Y11
	VBROADCASTSD 32(R10), Y12
	VBROADCASTSD 40(R10), Y13
	VBROADCASTSD 48(R10), Y14
	VBROADCASTSD 56(R10), Y15
	MOVQ         rows+24(FP), R10
	MOVQ         0(R10), DI
	MOVQ         8(R10), DX
	MOVQ         16(R10), R8
	MOVQ         24(R10), R9
	MOVQ         32(R10), R11
	MOVQ         40(R10), R12
	MOVQ         48(R10), R13
	MOVQ         56(R10), BX
	XORQ         AX, AX
	SUBQ         $4, CX
	JL           crosstail

crossloop:
	VMOVUPD     0(SI)(AX*8), Y0
	VFMADD231PD 0(DI)(AX*8), Y8, Y0
	VFMADD231PD 0(DX)(AX*8), Y9, Y0
	VFMADD231PD 0(R8)(AX*8), Y10, Y0
	VFMADD231PD 0(R9)(AX*8), Y11, Y0
	VFMADD231PD 0(R11)(AX*8), Y12, Y0
	VFMADD231PD 0(R12)(AX*8), Y13, Y0
	VFMADD231PD 0(R13)(AX*8), Y14, Y0
	VFMADD231PD 0(BX)(AX*8), Y15, Y0
	VMOVUPD     Y0, 0(SI)(AX*8)
	ADDQ        $4, AX
	SUBQ        $4, CX
	JGE         crossloop

crosstail:
	ADDQ $4, CX
	JLE  crossend

crossone:
	VMOVSD      0(SI)(AX*8), X0
	VFMADD231SD 0(DI)(AX*8), X8, X0
	VFMADD231SD 0(DX)(AX*8), X9, X0
	VFMADD231SD 0(R8)(AX*8), X10, X0
	VFMADD231SD 0(R9)(AX*8), X11, X0
	VFMADD231SD 0(R11)(AX*8), X12, X0
	VFMADD231SD 0(R12)(AX*8), X13, X0
	VFMADD231SD 0(R13)(AX*8), X14, X0
	VFMADD231SD 0(BX)(AX*8), X15, X0
	VMOVSD      X0, 0(SI)(AX*8)
	INCQ        AX
	DECQ        CX
	JNZ         crossone

crossend:
	VZEROUPPER
	RET

// func dot4AVX(x, r0, r1, r2, r3 []float64) (a0, a1, a2, a3 float64)
//
// dot4 four instruments per AVX instruction: lane j of each day's YMM
// sum holds the instruments i ≡ j mod 4, as the two SSE2 registers of
// dot4 (and of gonum's DotUnitary) do, multiplied and added separately
// (no FMA); the tail goes into lane 0 and the lanes are added as
// (l0 + l2) + (l1 + l3). Each sum is therefore the same bits as dot4's.
TEXT ·dot4AVX(SB), NOSPLIT, $0-152
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	MOVQ   r0_base+24(FP), DI
	MOVQ   r1_base+48(FP), DX
	MOVQ   r2_base+72(FP), R8
	MOVQ   r3_base+96(FP), R9
	VXORPD Y8, Y8, Y8
	VXORPD Y10, Y10, Y10
	VXORPD Y12, Y12, Y12
	VXORPD Y14, Y14, Y14
	XORQ   AX, AX
	SUBQ   $4, CX
	JL     avxtail4

avxloop4:
	VMOVUPD 0(SI)(AX*8), Y0
	VMULPD  0(DI)(AX*8), Y0, Y2
	VADDPD  Y2, Y8, Y8
	VMULPD  0(DX)(AX*8), Y0, Y3
	VADDPD  Y3, Y10, Y10
	VMULPD  0(R8)(AX*8), Y0, Y4
	VADDPD  Y4, Y12, Y12
	VMULPD  0(R9)(AX*8), Y0, Y5
	VADDPD  Y5, Y14, Y14
	ADDQ    $4, AX
	SUBQ    $4, CX
	JGE     avxloop4

avxtail4:
	// Lanes 2 and 3 to their own registers before the scalar tail, whose
	// VEX instructions clear the upper halves.
	VEXTRACTF128 $1, Y8, X9
	VEXTRACTF128 $1, Y10, X11
	VEXTRACTF128 $1, Y12, X13
	VEXTRACTF128 $1, Y14, X15
	ADDQ         $4, CX
	JLE          avxend4

avxone4:
	VMOVSD 0(SI)(AX*8), X0
	VMULSD 0(DI)(AX*8), X0, X2
	VADDSD X2, X8, X8
	VMULSD 0(DX)(AX*8), X0, X3
	VADDSD X3, X10, X10
	VMULSD 0(R8)(AX*8), X0, X4
	VADDSD X4, X12, X12
	VMULSD 0(R9)(AX*8), X0, X5
	VADDSD X5, X14, X14
	INCQ   AX
	DECQ   CX
	JNZ    avxone4

avxend4:
	VADDPD    X9, X8, X8
	VUNPCKHPD X8, X8, X0
	VADDSD    X0, X8, X8
	VMOVSD    X8, a0+120(FP)
	VADDPD    X11, X10, X10
	VUNPCKHPD X10, X10, X0
	VADDSD    X0, X10, X10
	VMOVSD    X10, a1+128(FP)
	VADDPD    X13, X12, X12
	VUNPCKHPD X12, X12, X0
	VADDSD    X0, X12, X12
	VMOVSD    X12, a2+136(FP)
	VADDPD    X15, X14, X14
	VUNPCKHPD X14, X14, X0
	VADDSD    X0, X14, X14
	VMOVSD    X14, a3+144(FP)
	VZEROUPPER
	RET

// func pushAVX(row, cur, last, s, c, old []float64)
//
// Push's pass, four instruments per AVX instruction: row[i] = cur[i] /
// last[i] − 1, last[i] = cur[i], and the compensated sums s + c gain
// row[i] − old[i] exactly as [slideGo] adds them; the same operations in
// the same order as [pushGo], so the same bits. The other slices are at
// least len(row) long (the Go wrapper slices them). Needs AVX.
TEXT ·pushAVX(SB), NOSPLIT, $0-144
	MOVQ         row_base+0(FP), DI
	MOVQ         row_len+8(FP), CX
	MOVQ         cur_base+24(FP), R8
	MOVQ         last_base+48(FP), R9
	MOVQ         s_base+72(FP), SI
	MOVQ         c_base+96(FP), BX
	MOVQ         old_base+120(FP), DX
	MOVQ         $0x8000000000000000, R10
	MOVQ         R10, X9
	VBROADCASTSD X9, Y9
	MOVQ         $0x3ff0000000000000, R10 // 1.0
	MOVQ         R10, X11
	VBROADCASTSD X11, Y11
	XORQ         AX, AX
	SUBQ         $4, CX
	JL           pushtail

pushloop:
	VMOVUPD 0(R8)(AX*8), Y12    // cur
	VDIVPD  0(R9)(AX*8), Y12, Y0 // cur / last
	VMOVUPD Y12, 0(R9)(AX*8)    // last = cur
	VSUBPD  Y11, Y0, Y0         // a = cur/last − 1
	VMOVUPD Y0, 0(DI)(AX*8)     // row
	VXORPD  0(DX)(AX*8), Y9, Y1 // b = −old
	VADDPD  Y1, Y0, Y2          // d = a + b
	VSUBPD  Y0, Y2, Y3          // z = d − a
	VSUBPD  Y3, Y2, Y4          // d − z
	VSUBPD  Y4, Y0, Y4          // a − (d − z)
	VSUBPD  Y3, Y1, Y5          // b − z
	VADDPD  Y5, Y4, Y4          // de, the error of d
	VMOVUPD 0(SI)(AX*8), Y6     // v
	VADDPD  Y2, Y6, Y7          // t = v + d
	VSUBPD  Y6, Y7, Y3          // z = t − v
	VSUBPD  Y3, Y7, Y5          // t − z
	VSUBPD  Y5, Y6, Y5          // v − (t − z)
	VSUBPD  Y3, Y2, Y10         // d − z
	VADDPD  Y10, Y5, Y5         // e, the error of t
	VMOVUPD Y7, 0(SI)(AX*8)
	VADDPD  Y4, Y5, Y5          // e + de
	VADDPD  0(BX)(AX*8), Y5, Y5 // c + (e + de)
	VMOVUPD Y5, 0(BX)(AX*8)
	ADDQ    $4, AX
	SUBQ    $4, CX
	JGE     pushloop

pushtail:
	ADDQ $4, CX
	JLE  pushend

pushone:
	VMOVSD 0(R8)(AX*8), X12
	VDIVSD 0(R9)(AX*8), X12, X0
	VMOVSD X12, 0(R9)(AX*8)
	VSUBSD X11, X0, X0
	VMOVSD X0, 0(DI)(AX*8)
	VMOVSD 0(DX)(AX*8), X1
	VXORPD X9, X1, X1
	VADDSD X1, X0, X2
	VSUBSD X0, X2, X3
	VSUBSD X3, X2, X4
	VSUBSD X4, X0, X4
	VSUBSD X3, X1, X5
	VADDSD X5, X4, X4
	VMOVSD 0(SI)(AX*8), X6
	VADDSD X2, X6, X7
	VSUBSD X6, X7, X3
	VSUBSD X3, X7, X5
	VSUBSD X5, X6, X5
	VSUBSD X3, X2, X10
	VADDSD X10, X5, X5
	VMOVSD X7, 0(SI)(AX*8)
	VADDSD X4, X5, X5
	VMOVSD 0(BX)(AX*8), X13
	VADDSD X13, X5, X5
	VMOVSD X5, 0(BX)(AX*8)
	INCQ   AX
	DECQ   CX
	JNZ    pushone

pushend:
	VZEROUPPER
	RET
