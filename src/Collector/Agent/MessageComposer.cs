using System.Security.Cryptography;
using System.Text;

namespace OneKvm.Collector.Agent;

/// <summary>
/// Turns a category's text into the messages that carry it. STATE_VM goes over TCP; the others over
/// UDP. A UDP message that would exceed <see cref="OutgoingMessage.MaxDatagramBytes"/> is split
/// between its <c>VM = [ … ]</c> entries (monitord merges VM entries by ID), each part repeating the
/// lines before the first entry; a part that still does not fit — one huge entry, or a text without
/// entries — goes over TCP, where monitord reads until end of stream, so nothing is lost silently.
/// </summary>
public sealed class MessageComposer(int hostId, RSA? publicKey, int maxDatagramBytes = OutgoingMessage.MaxDatagramBytes)
{
    public IReadOnlyList<OutgoingMessage> Compose(string type, bool success, long epoch, string text)
    {
        var whole = Message(type, success, epoch, text);
        if (whole.Transport == MonitordTransport.Udp || type == "STATE_VM" || !success) return [whole];

        var (head, entries) = VmEntries.Split(text);
        if (entries.Count < 2) return [whole];

        var messages = new List<OutgoingMessage>();
        var part = new StringBuilder(head);
        var count = 0;
        foreach (var entry in entries)
        {
            if (count > 0 && !Fits(type, epoch, part + entry))
            {
                messages.Add(Message(type, true, epoch, part.ToString()));
                part.Clear().Append(head);
                count = 0;
            }
            part.Append(entry);
            count++;
        }
        messages.Add(Message(type, true, epoch, part.ToString()));
        return messages;
    }

    private bool Fits(string type, long epoch, string text) =>
        OutgoingMessage.FrameBytes(type, true, hostId, epoch, PayloadCodec.Encode(text, publicKey)).Length <= maxDatagramBytes;

    /// <summary>Frames <paramref name="text"/>: STATE_VM over TCP, others over UDP unless too big for a datagram.</summary>
    private OutgoingMessage Message(string type, bool success, long epoch, string text)
    {
        var frame = OutgoingMessage.FrameBytes(type, success, hostId, epoch, PayloadCodec.Encode(text, publicKey));
        var transport = type != "STATE_VM" && frame.Length <= maxDatagramBytes ? MonitordTransport.Udp : MonitordTransport.Tcp;
        return new OutgoingMessage(type, transport, frame);
    }
}
