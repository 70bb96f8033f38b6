package dev.layertrace.probe;

/**
 * A classic BPF interpreter for the instructions {@link ProbeFilter} emits (loads, MSH, JEQ/JGT/JGE/JSET,
 * RET), with the kernel's rule that a load past the end of the packet rejects it. Lets the generated
 * filters be run against recorded frames without a socket.
 */
final class ClassicBpf {
  private ClassicBpf() {}

  /** The number of bytes the program accepts (0: dropped). */
  static int run(BpfProgram p, byte[] pkt) {
    int a = 0;
    int x = 0;
    int pc = 0;
    var ins = p.instructions();
    while (pc < ins.size()) {
      var i = ins.get(pc);
      int code = i.code();
      int cls = code & 0x07;
      switch (cls) {
        case 0x00 -> { // LD
          int mode = code & 0xe0;
          int size = code & 0x18;
          int off = mode == 0x40 ? x + i.k() : i.k();
          int n = size == 0x00 ? 4 : size == 0x08 ? 2 : 1;
          if (mode != 0x20 && mode != 0x40) {
            throw new IllegalStateException("unsupported load mode " + Integer.toHexString(code));
          }
          if (off < 0 || off + n > pkt.length) {
            return 0;
          }
          a = 0;
          for (int k = 0; k < n; k++) {
            a = (a << 8) | (pkt[off + k] & 0xFF);
          }
        }
        case 0x01 -> { // LDX MSH
          if ((code & 0xe0) != 0xa0 || i.k() >= pkt.length) {
            if (i.k() >= pkt.length) {
              return 0;
            }
            throw new IllegalStateException("unsupported ldx " + Integer.toHexString(code));
          }
          x = 4 * (pkt[i.k()] & 0x0F);
        }
        case 0x05 -> { // JMP
          int op = code & 0xf0;
          boolean t = switch (op) {
            case 0x10 -> a == i.k();
            case 0x20 -> Integer.compareUnsigned(a, i.k()) > 0;
            case 0x30 -> Integer.compareUnsigned(a, i.k()) >= 0;
            case 0x40 -> (a & i.k()) != 0;
            default -> throw new IllegalStateException("unsupported jump " + Integer.toHexString(code));
          };
          pc += t ? i.jt() : i.jf();
        }
        case 0x06 -> {
          return i.k();
        }
        default -> throw new IllegalStateException("unsupported class " + cls);
      }
      pc++;
    }
    throw new IllegalStateException("program fell off its end");
  }
}
