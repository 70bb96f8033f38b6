package dev.layertrace.probe;

import java.util.List;

/**
 * A classic BPF program as {@code struct sock_filter[]}: instruction {@code i} is
 * {@code {code[i], jt[i], jf[i], k[i]}} (what {@code LinuxSocket.attachFilter} takes).
 */
public record BpfProgram(List<Instruction> instructions) {
  /** One {@code struct sock_filter}. */
  public record Instruction(int code, int jt, int jf, int k) {
    public Instruction {
      if (jt < 0 || jt > 255 || jf < 0 || jf > 255) {
        throw new IllegalArgumentException("BPF jump offsets are 0..255");
      }
    }
  }

  public BpfProgram {
    instructions = List.copyOf(instructions);
    if (instructions.isEmpty() || instructions.size() > 4096) {
      throw new IllegalArgumentException("a classic BPF program has 1..4096 instructions");
    }
  }

  public short[] codes() {
    short[] c = new short[instructions.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = (short) instructions.get(i).code();
    }
    return c;
  }

  public byte[] jumpsIfTrue() {
    byte[] b = new byte[instructions.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) instructions.get(i).jt();
    }
    return b;
  }

  public byte[] jumpsIfFalse() {
    byte[] b = new byte[instructions.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) instructions.get(i).jf();
    }
    return b;
  }

  public int[] constants() {
    int[] k = new int[instructions.size()];
    for (int i = 0; i < k.length; i++) {
      k[i] = instructions.get(i).k();
    }
    return k;
  }

  /** {@code tcpdump -d} style listing, for debugging and test failure messages. */
  public String listing() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < instructions.size(); i++) {
      Instruction in = instructions.get(i);
      b.append(String.format("(%03d) code 0x%02x jt %d jf %d k 0x%x%n", i, in.code(), in.jt(), in.jf(), in.k()));
    }
    return b.toString();
  }
}
