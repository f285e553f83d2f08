using System.Net;

namespace Firecrawl.Client;

/// <summary>
/// The machine's proxy settings (<c>HTTP_PROXY</c>, <c>HTTPS_PROXY</c>, <c>ALL_PROXY</c>, <c>NO_PROXY</c>, or the
/// system's), except that a loopback address is always reached directly. Without this, a call to a self-hosted server
/// on <c>http://127.0.0.1</c> (where a key over plain http is allowed) would hand the request, key included, to the
/// proxy in plaintext. https destinations go through the proxy as a CONNECT tunnel, which the proxy cannot read.
/// </summary>
internal sealed class LoopbackBypassProxy(Func<IWebProxy?> system) : IWebProxy
{
    private IWebProxy? _system;
    private bool _read;

    /// <summary>The machine's proxy, read on the first call that is not to loopback.</summary>
    private IWebProxy? System
    {
        get
        {
            if (!Volatile.Read(ref _read))
            {
                _system = system();
                Volatile.Write(ref _read, true);
            }

            return _system;
        }
    }

    public ICredentials? Credentials
    {
        get => System?.Credentials;
        set
        {
            if (System is { } proxy)
            {
                proxy.Credentials = value;
            }
        }
    }

    public Uri? GetProxy(Uri destination) => destination.IsLoopback ? null : System?.GetProxy(destination);

    public bool IsBypassed(Uri host) => host.IsLoopback || System is not { } proxy || proxy.IsBypassed(host);
}
