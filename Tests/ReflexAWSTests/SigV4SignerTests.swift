import Foundation
import ReflexAWS
import ReflexHTTP
import Testing

/// Golden vectors from the AWS SigV4 test suite (credentials AKIDEXAMPLE, region us-east-1,
/// service `service`, 2015-08-30T12:36:00Z).
struct SigV4SignerTests {
    static let date = Date(timeIntervalSince1970: 1_440_938_160) // 20150830T123600Z
    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", source: "test")

    func authorization(_ method: String, _ url: String, headers: [(String, String)] = [], body: String = "",
                       credentials: AWSCredentials = credentials) -> String? {
        var request = HTTPRequest(method: method, url: URL(string: url)!, headers: [("Host", "example.amazonaws.com")] + headers.map { ($0.0, $0.1) },
                                  body: Data(body.utf8))
        SigV4Signer.sign(&request, credentials: credentials, region: "us-east-1", service: "service", date: Self.date)
        return request.header("Authorization")
    }

    @Test func getVanilla() {
        #expect(authorization("GET", "https://example.amazonaws.com/") ==
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func getVanillaQueryOrderKeyCase() {
        #expect(authorization("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1") ==
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    @Test func postXWwwFormUrlencoded() {
        #expect(authorization("POST", "https://example.amazonaws.com/", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "Param1=value1") ==
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")
    }

    @Test func getVanillaWithSessionToken() {
        let temporary = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                       sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267", source: "test")
        #expect(authorization("GET", "https://example.amazonaws.com/", credentials: temporary) ==
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8")
    }

    @Test func credentialsNeverPrintTheirSecrets() {
        let temporary = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "SECRETSECRET", sessionToken: "TOKENTOKEN", source: "environment")
        for text in ["\(temporary)", String(reflecting: temporary), "\([temporary])"] {
            #expect(!text.contains("SECRETSECRET") && !text.contains("TOKENTOKEN"), "\(text)")
        }
    }
}
