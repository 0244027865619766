import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM with a command, through the JDK's attach API: what
 * async-profiler's own launcher does, for machines that have only the library from Maven Central.
 *
 * <p>Usage: java bench/AttachAgent.java PID /path/libasyncProfiler.so start,event=cpu
 */
public class AttachAgent {
  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      vm.loadAgentPath(args[1], args[2]);
    } finally {
      vm.detach();
    }
  }
}
