package dev.agentexecutor.agent.tools.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import javax.net.SocketFactory;

/**
 * Makes sockets that connect only to the addresses given (those a policy vetted), whatever the HTTP
 * client resolved or parsed on its own: the last line against DNS rebinding.
 */
public final class PinnedSocketFactory extends SocketFactory {
  private final List<byte[]> allowed;

  public PinnedSocketFactory(List<InetAddress> allowed) {
    this.allowed = allowed.stream().map(InetAddress::getAddress).toList();
  }

  @Override
  public Socket createSocket() {
    return new PinnedSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(new InetSocketAddress(address, port));
  }

  private Socket connected(InetSocketAddress target) throws IOException {
    Socket socket = new PinnedSocket();
    socket.connect(target);
    return socket;
  }

  private boolean isAllowed(SocketAddress endpoint) {
    if (!(endpoint instanceof InetSocketAddress inet) || inet.getAddress() == null) return false;
    byte[] address = inet.getAddress().getAddress();
    return allowed.stream().anyMatch(a -> Arrays.equals(a, address));
  }

  private final class PinnedSocket extends Socket {
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      if (!isAllowed(endpoint)) {
        close();
        throw new SocketException(
            "refused to connect to " + endpoint + ": not the vetted address of the host");
      }
      super.connect(endpoint, timeout);
    }
  }
}
