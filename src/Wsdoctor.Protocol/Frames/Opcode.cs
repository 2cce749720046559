namespace Wsdoctor.Protocol.Frames;

/// <summary>The frame opcodes defined by RFC 6455 5.2; 3-7 and 0xB-0xF are reserved.</summary>
public enum Opcode : byte
{
    Continuation = 0,
    Text = 1,
    Binary = 2,
    Close = 8,
    Ping = 9,
    Pong = 10,
}
