import ShomeiCLI

await Shomei.run()
