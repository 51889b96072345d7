import Foundation
import ReflexHTTP
import Testing

struct ExternalTextTests {
    @Test func shortTextIsKeptWhole() {
        #expect(ExternalText.bounded("ThrottlingException") == "ThrottlingException")
        #expect(ExternalText.bounded(Data("rate exceeded".utf8)) == "rate exceeded")
    }

    @Test func longTextIsCutOnACharacterBoundaryAndSaysHowMuchWasCut() {
        // 700 two-byte characters: 512 fit in 1,024 bytes.
        let text = String(repeating: "é", count: 700)
        #expect(ExternalText.bounded(text) == String(repeating: "é", count: 512) + "… (376 bytes truncated)")
        #expect(ExternalText.bounded(Data(text.utf8)) == String(repeating: "é", count: 512) + "… (376 bytes truncated)")
        #expect(ExternalText.bounded("abcdef", limit: 4) == "abcd… (2 bytes truncated)")
    }
}
