// onekvm-driver: the companion VMM driver module. Not implemented yet (see the open issues).
await Console.Error.WriteLineAsync("onekvm-driver: not implemented yet");
return 2;
