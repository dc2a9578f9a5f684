using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Xml;

namespace Herald.Bench.Ejabberd;

/// <summary>
/// A minimal XMPP client-to-server connection for the bench: plain TCP (no TLS, for loopback only), SASL PLAIN,
/// resource binding, initial presence, then every incoming &lt;message&gt; with a &lt;body&gt; is handed to a callback.
/// Answers XEP-0199 pings; ignores everything else.
/// </summary>
/// <remarks>
/// Parsing is an <see cref="XmlReader"/> over the socket stream (one per XML stream: SASL success restarts it).
/// A stanza is dispatched as soon as its end tag is read, never after reading ahead to the next one, so a message is
/// seen the moment its bytes arrive.
/// </remarks>
public sealed class XmppClient : IAsyncDisposable
{
    private const string StreamsNs = "http://etherx.jabber.org/streams";
    private const string SaslNs = "urn:ietf:params:xml:ns:xmpp-sasl";
    private const string BindNs = "urn:ietf:params:xml:ns:xmpp-bind";
    private const string SessionNs = "urn:ietf:params:xml:ns:xmpp-session";
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(30);

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        CloseInput = false,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    private readonly TcpClient _tcp;
    private NetworkStream _stream = null!;
    private readonly string _domain;
    private readonly Action<string> _onMessage;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private XmlReader _reader = null!;
    private Task _readLoop = Task.CompletedTask;
    private long _received;
    private int _disposed;

    private XmppClient(TcpClient tcp, string domain, Action<string> onMessage)
    {
        _tcp = tcp;
        _domain = domain;
        _onMessage = onMessage;
    }

    /// <summary>The bound full JID, e.g. user1@localhost/bench.</summary>
    public string Jid { get; private set; } = "";

    /// <summary>Messages with a body received so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Completes when the server closes the stream or the connection drops; faults on a protocol error.</summary>
    public Task Completion => _readLoop;

    /// <summary>
    /// Connects, authenticates, binds resource <paramref name="resource"/>, sends initial presence and waits for the
    /// server to reflect it (so the session is available before the call returns), then starts reading.
    /// <paramref name="onMessage"/> runs on the read loop: keep it short.
    /// </summary>
    public static async Task<XmppClient> Connect(IPEndPoint server, string domain, string user, string password,
        Action<string> onMessage, string resource = "bench", CancellationToken cancel = default)
    {
        var tcp = new TcpClient(server.AddressFamily) { NoDelay = true };
        var client = new XmppClient(tcp, domain, onMessage);
        try
        {
            // XmlReader.ReadAsync takes no token: a cancelled or stuck handshake is ended by closing the socket.
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            handshake.CancelAfter(HandshakeTimeout);
            await using var closeOnCancel = handshake.Token.Register(tcp.Dispose);
            try
            {
                await tcp.ConnectAsync(server, handshake.Token);
                client._stream = tcp.GetStream();
                await client.Handshake(user, password, resource, handshake.Token);
            }
            catch (Exception e) when (handshake.IsCancellationRequested && e is not XmppException)
            {
                cancel.ThrowIfCancellationRequested();
                throw new TimeoutException($"XMPP handshake for {user} took over {HandshakeTimeout.TotalSeconds:F0} s", e);
            }
            client._readLoop = Task.Run(() => client.ReadLoop(client._stop.Token), CancellationToken.None);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    private async Task Handshake(string user, string password, string resource, CancellationToken cancel)
    {
        // 1. Stream and SASL PLAIN.
        var features = await OpenStream(cancel);
        if (!features.Children.Contains("mechanisms:PLAIN"))
            throw new XmppException($"server does not offer SASL PLAIN to {user} (features: {string.Join(", ", features.Children)})");
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
        await Send($"<auth xmlns='{SaslNs}' mechanism='PLAIN'>{credentials}</auth>", cancel);
        var auth = await Expect(cancel);
        if (auth.Name != "success")
            throw new XmppException($"SASL PLAIN failed for {user}: <{auth.Name}> {string.Join(", ", auth.Children)}");

        // 2. Restart the stream (a new XML document on the same socket), bind a resource.
        features = await OpenStream(cancel);
        if (!features.Children.Contains("bind"))
            throw new XmppException($"server offers no resource binding (features: {string.Join(", ", features.Children)})");
        await Send($"<iq type='set' id='bind1'><bind xmlns='{BindNs}'><resource>{Escape(resource)}</resource></bind></iq>", cancel);
        var bound = await ExpectIq("bind1", cancel);
        Jid = bound.Text ?? $"{user}@{_domain}/{resource}";

        // 3. Legacy session establishment, if the server still asks for it (RFC 3921; optional since RFC 6121).
        if (features.Children.Contains("session") && !features.Children.Contains("session:optional"))
        {
            await Send($"<iq type='set' id='sess1'><session xmlns='{SessionNs}'/></iq>", cancel);
            await ExpectIq("sess1", cancel);
        }

        // 4. Initial presence; the server reflects it to the sending resource once the session is available.
        await Send("<presence/>", cancel);
        for (var i = 0; i < 100; i++)
        {
            var stanza = await Expect(cancel);
            if (stanza.Name == "presence" && stanza.From == Jid)
                return;
            await Handle(stanza, cancel);
        }
        throw new XmppException($"{Jid}: no reflected presence within 100 stanzas");
    }

    private async Task<Stanza> OpenStream(CancellationToken cancel)
    {
        await Send($"<?xml version='1.0'?><stream:stream to='{Escape(_domain)}' xmlns='jabber:client' xmlns:stream='{StreamsNs}' version='1.0'>", cancel);
        _reader?.Dispose();
        _reader = XmlReader.Create(_stream, ReaderSettings);
        var features = await Expect(cancel);
        if (features.Name != "features" || features.Namespace != StreamsNs)
            throw new XmppException($"expected <stream:features>, got <{features.Name}> {string.Join(", ", features.Children)}");
        return features;
    }

    private async Task<Stanza> ExpectIq(string id, CancellationToken cancel)
    {
        for (var i = 0; i < 100; i++)
        {
            var stanza = await Expect(cancel);
            if (stanza.Name == "iq" && stanza.Id == id)
                return stanza.Type == "result" ? stanza : throw new XmppException($"iq {id} failed: {string.Join(", ", stanza.Children)}");
            await Handle(stanza, cancel);
        }
        throw new XmppException($"no answer to iq {id} within 100 stanzas");
    }

    private async Task<Stanza> Expect(CancellationToken cancel) =>
        await ReadStanza(cancel) ?? throw new XmppException("server closed the stream");

    private async Task ReadLoop(CancellationToken cancel)
    {
        try
        {
            while (await ReadStanza(cancel) is { } stanza)
                await Handle(stanza, cancel);
        }
        catch (Exception) when (cancel.IsCancellationRequested)
        {
            // Disposed: closing the socket under a pending read surfaces as one of several exceptions.
        }
    }

    private async Task Handle(Stanza stanza, CancellationToken cancel)
    {
        switch (stanza.Name)
        {
            case "message" when stanza.Body is not null:
                Interlocked.Increment(ref _received);
                _onMessage(stanza.Body);
                break;
            case "iq" when stanza.Type is "get" or "set":
                var to = stanza.From is null ? "" : $" to='{Escape(stanza.From)}'";
                var id = Escape(stanza.Id ?? "");
                await Send(stanza.Children.Contains("ping")
                    ? $"<iq type='result' id='{id}'{to}/>"
                    : $"<iq type='error' id='{id}'{to}><error type='cancel'><feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>", cancel);
                break;
            case "error" when stanza.Namespace == StreamsNs:
                throw new XmppException($"{Jid}: stream error: {string.Join(", ", stanza.Children)}");
        }
    }

    /// <summary>
    /// Reads the next top-level element of the stream (skipping the &lt;stream:stream&gt; start tag), or null when the
    /// stream ends. Returns as soon as the element's end tag has been read.
    /// </summary>
    private async Task<Stanza?> ReadStanza(CancellationToken cancel)
    {
        var reader = _reader;
        Stanza? stanza = null;
        StringBuilder? text = null;
        var textDepth = -1;
        var child = "";
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            if (!await reader.ReadAsync())
                return null;
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.Depth == 0:
                    if (reader.LocalName != "stream" || reader.NamespaceURI != StreamsNs)
                        throw new XmppException($"expected <stream:stream>, got <{reader.Name}>");
                    break;
                case XmlNodeType.EndElement when reader.Depth == 0:
                    return null;
                case XmlNodeType.Element when reader.Depth == 1:
                    stanza = new Stanza(reader.LocalName, reader.NamespaceURI, reader.GetAttribute("type"), reader.GetAttribute("id"), reader.GetAttribute("from"));
                    if (reader.IsEmptyElement)
                        return stanza;
                    break;
                case XmlNodeType.EndElement when reader.Depth == 1:
                    if (stanza is null)
                        throw new XmppException("unbalanced end tag");
                    return stanza;
                case XmlNodeType.Element when stanza is not null:
                    // Depth 2 children name the stanza's content (features, errors, the ping in an iq); the
                    // features' own children say which mechanism / whether session is optional.
                    if (reader.Depth == 2)
                        stanza.Children.Add(child = reader.LocalName);
                    else if (reader.Depth == 3)
                        stanza.Children.Add($"{child}:{reader.LocalName}");
                    if (reader.IsEmptyElement)
                        break;
                    // Text wanted: <message><body>, <iq><bind><jid>, <mechanisms><mechanism>.
                    if ((reader.Depth == 2 && reader.LocalName == "body" && stanza.Name == "message") ||
                        (reader.Depth == 3 && (reader.LocalName is "jid" or "mechanism")))
                    {
                        text = new StringBuilder();
                        textDepth = reader.Depth + 1;
                    }
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace
                    when text is not null && reader.Depth == textDepth:
                    text.Append(reader.Value);
                    break;
                case XmlNodeType.EndElement when text is not null && reader.Depth == textDepth - 1 && stanza is not null:
                    var value = text.ToString();
                    if (reader.LocalName == "body")
                        stanza.Body = value;
                    else if (reader.LocalName == "mechanism")
                        stanza.Children.Add($"{child}:{value}");
                    else
                        stanza.Text = value;
                    text = null;
                    textDepth = -1;
                    break;
            }
        }
    }

    private async Task Send(string xml, CancellationToken cancel)
    {
        var bytes = Encoding.UTF8.GetBytes(xml);
        await _writeLock.WaitAsync(cancel);
        try
        {
            await _stream.WriteAsync(bytes, cancel);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private static string Escape(string value) => SecurityElement.Escape(value);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        try
        {
            if (_tcp.Connected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await Send("</stream:stream>", timeout.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        await _stop.CancelAsync();
        _tcp.Dispose();
        try
        {
            await _readLoop.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is TimeoutException or IOException or XmlException or XmppException or ObjectDisposedException or SocketException)
        {
        }
        _reader?.Dispose();
        _stop.Dispose();
        _writeLock.Dispose();
    }

    private sealed class Stanza(string name, string ns, string? type, string? id, string? from)
    {
        public string Name { get; } = name;
        public string Namespace { get; } = ns;
        public string? Type { get; } = type;
        public string? Id { get; } = id;
        public string? From { get; } = from;
        public List<string> Children { get; } = [];
        public string? Body { get; set; }
        public string? Text { get; set; }
    }
}

public sealed class XmppException(string message) : Exception(message);
