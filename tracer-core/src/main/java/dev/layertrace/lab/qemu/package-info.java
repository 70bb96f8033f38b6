/**
 * The QEMU microVM lab as data: what goes into the guest's initramfs (kernel modules in load order,
 * tools with their shared libraries), the guest's {@code /init} and lab script, the QEMU command line
 * and the line protocol of the guest control channel. Pure: the {@code sys} package's {@code Qemu*}
 * classes read the host, build the image and run QEMU.
 */
package dev.layertrace.lab.qemu;
