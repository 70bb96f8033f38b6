package dev.layertrace.probe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Writes a classic BPF program with named labels and resolves the forward jumps (cBPF only jumps forward). */
final class BpfAssembler {
  // linux/filter.h
  static final int LD = 0x00;
  static final int LDX = 0x01;
  static final int JMP = 0x05;
  static final int RET = 0x06;
  static final int W = 0x00;
  static final int H = 0x08;
  static final int B = 0x10;
  static final int ABS = 0x20;
  static final int IND = 0x40;
  static final int MSH = 0xa0;
  static final int JEQ = 0x10;
  static final int JGT = 0x20;
  static final int JGE = 0x30;
  static final int JSET = 0x40;
  static final int K = 0x00;

  private record Pending(int code, String jt, String jf, int k) {}

  private final List<Pending> code = new ArrayList<>();
  private final Map<String, Integer> labels = new HashMap<>();

  BpfAssembler label(String name) {
    if (labels.put(name, code.size()) != null) {
      throw new IllegalStateException("label " + name + " defined twice");
    }
    return this;
  }

  BpfAssembler loadAbs(int size, int offset) {
    return add(LD | size | ABS, null, null, offset);
  }

  BpfAssembler loadInd(int size, int offset) {
    return add(LD | size | IND, null, null, offset);
  }

  /** X = 4 * (pkt[offset] & 0xf): the IPv4 header length. */
  BpfAssembler loadIpHeaderLength(int offset) {
    return add(LDX | B | MSH, null, null, offset);
  }

  /** if A == k goto ifTrue else goto ifFalse (null: the next instruction). */
  BpfAssembler jeq(int k, String ifTrue, String ifFalse) {
    return add(JMP | JEQ | K, ifTrue, ifFalse, k);
  }

  /** if A > k (unsigned) goto ifTrue else goto ifFalse. */
  BpfAssembler jgt(int k, String ifTrue, String ifFalse) {
    return add(JMP | JGT | K, ifTrue, ifFalse, k);
  }

  /** if A >= k (unsigned) goto ifTrue else goto ifFalse. */
  BpfAssembler jge(int k, String ifTrue, String ifFalse) {
    return add(JMP | JGE | K, ifTrue, ifFalse, k);
  }

  BpfAssembler jset(int k, String ifTrue, String ifFalse) {
    return add(JMP | JSET | K, ifTrue, ifFalse, k);
  }

  BpfAssembler ret(int k) {
    return add(RET | K, null, null, k);
  }

  private BpfAssembler add(int c, String jt, String jf, int k) {
    code.add(new Pending(c, jt, jf, k));
    return this;
  }

  BpfProgram assemble() {
    List<BpfProgram.Instruction> out = new ArrayList<>(code.size());
    for (int i = 0; i < code.size(); i++) {
      Pending p = code.get(i);
      out.add(new BpfProgram.Instruction(p.code(), offset(i, p.jt()), offset(i, p.jf()), p.k()));
    }
    return new BpfProgram(out);
  }

  private int offset(int at, String label) {
    if (label == null) {
      return 0;
    }
    Integer target = labels.get(label);
    if (target == null) {
      throw new IllegalStateException("undefined label " + label);
    }
    int off = target - at - 1;
    if (off < 0 || off > 255) {
      throw new IllegalStateException("jump to " + label + " is " + off + " instructions: out of cBPF range");
    }
    return off;
  }
}
