"""The gateway server the emulator runs with (GATEWAY_SERVER=driftwatch).

LocalStack's default server, twisted, answers about twice as many requests per
second here as hypercorn (ListBuckets with 32 concurrent clients: 330/s against
140/s on 2 cores), but it listens on every interface whatever GATEWAY_LISTEN names:
its TCP endpoint is created without the host. This is the same twisted server,
bound to the host GATEWAY_LISTEN gives (127.0.0.1 in localstack/start), so a test
emulator is never reachable from outside the machine.
"""

from localstack.runtime.server.core import RuntimeServer, RuntimeServerPlugin


class LoopbackTwistedServerPlugin(RuntimeServerPlugin):
    name = "driftwatch"

    def load(self, *args, **kwargs) -> RuntimeServer:
        from localstack.aws.serving.twisted import TLSMultiplexerFactory
        from localstack.runtime.server.twisted import TwistedRuntimeServer
        from rolo.serving.twisted import TwistedGateway
        from twisted.internet import endpoints, reactor, ssl

        class LoopbackTwistedServer(TwistedRuntimeServer):
            def register(self, gateway, listen, ssl_creds=None):
                factory = TwistedGateway(gateway)
                if ssl_creds:
                    # like the stock server: HTTP and HTTPS on the same port
                    cert, key = ssl_creds
                    context = ssl.DefaultOpenSSLContextFactory(key, cert)
                    context.getContext().use_certificate_chain_file(cert)
                    factory = TLSMultiplexerFactory(context, False, factory)
                for where in listen:
                    tcp = endpoints.TCP6ServerEndpoint if ":" in where.host else endpoints.TCP4ServerEndpoint
                    tcp(reactor, where.port, interface=where.host).listen(factory)

        return LoopbackTwistedServer()
