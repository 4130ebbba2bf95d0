import Foundation
import Testing
@testable import LessonEngine

/// Reading a roster, every mistake in one named by its line, and the Canvas and Moodle files it
/// makes, byte for byte.
@Suite struct RosterTests {
    static let roster = """
        \u{FEFF}Folder,Name,ID,SIS_User_ID,SIS_Login_ID,Section,Email,Notes\r
        alice,"Lovelace, Ada",4021,S1815,ada,Group A,ada@uni.example,"likes ""maths"" a lot"\r
        bob,,4022,,,Group B,bob@uni.example,\r
        \r
        carol,Carol,,S1901,,Group B,carol@uni.example,"two
        lines"\r
        dan,Dan,4024,,,Group A,dan@uni.example,\r

        """

    static func grades(_ scores: [String: [Int]]) -> [LearnerGrade] {
        scores.keys.sorted().map { learner in
            LearnerGrade(learner: learner, lessons: scores[learner]!.enumerated().map { position, score in
                let slug = ["01-self-attention", "02-multi-head"][position]
                let check = CheckGrade(lesson: slug, exercise: "e", number: 1, hidden: false, points: 5, score: score,
                                       reason: score == 5 ? "" : "wrong", output: "")
                return LessonGrade(lesson: slug, title: slug, checks: [check])
            })
        }
    }

    @Test func aRosterIsReadWhateverTheCaseAndQuotingOfItsColumns() throws {
        let roster = try Roster(text: Self.roster, path: "roster.csv")
        #expect(roster.entries.map(\.folder) == ["alice", "bob", "carol", "dan"])
        #expect(roster.entries[0].name == "Lovelace, Ada")
        #expect(roster.entries[1].name == "bob")   // no name: the folder
        #expect(roster.entries[2].sisUserID == "S1901")
        #expect(roster.entries.map(\.line) == [2, 3, 5, 7])   // carol's note spans two lines
        #expect(roster.hasCanvasIdentities)
        #expect(roster.moodleKeyColumn == "email")
        #expect(try roster.absentLearners(graded: ["alice", "bob", "dan"]) == ["carol"])
    }

    @Test func canvasAndMoodleFilesHaveTheirLayouts() throws {
        let roster = try Roster(text: Self.roster, path: "roster.csv")
        let grades = Self.grades(["alice": [5, 3], "bob": [0, 5], "dan": [5, 5]])
        #expect(GradeFiles.canvas(grades, roster: roster) == """
            Student,ID,SIS User ID,SIS Login ID,Section,01-self-attention,02-multi-head\r
            Points Possible,,,,,5,5\r
            "Lovelace, Ada",4021,S1815,ada,Group A,5,3\r
            bob,4022,,,Group B,0,5\r
            Carol,,S1901,,Group B,0,0\r
            Dan,4024,,,Group A,5,5\r

            """)
        #expect(GradeFiles.moodle(grades, roster: roster) == """
            email,01-self-attention,02-multi-head\r
            ada@uni.example,5,3\r
            bob@uni.example,0,5\r
            carol@uni.example,0,0\r
            dan@uni.example,5,5\r

            """)
        let canvasOnly = try Roster(text: "folder,sis_login_id\nalice,ada\n", path: "r.csv")
        #expect(canvasOnly.moodleKeyColumn == nil)
        #expect(GradeFiles.moodle(grades, roster: canvasOnly) == nil)
    }

    @Test func everyMistakeIsNamedByItsLine() {
        func error(_ text: String) -> String {
            do {
                _ = try Roster(text: text, path: "roster.csv")
                return "no error"
            } catch {
                return error.description
            }
        }
        #expect(error("name,email\nAda,ada@x\n")
                == "roster.csv:1: the roster has no 'folder' column; add one naming each learner's folder in the class")
        #expect(error("folder,name\nalice,Ada\n").hasPrefix("roster.csv:1: the roster identifies learners to neither Canvas"))
        #expect(error("folder,email\nalice,a@x\nbob,b@x\nalice,c@x\n")
                == "roster.csv:4: the roster names the folder 'alice' again (first on line 2); keep one row per learner")
        #expect(error("folder,email\nalice,a@x\nbob,\n") == "roster.csv:3: the roster gives 'bob' no email; Moodle needs it to find the learner")
        #expect(error("folder,id,email\nalice,,a@x\n")
                == "roster.csv:2: the roster gives 'alice' no id, sis_user_id or sis_login_id; Canvas needs one to find the learner")
        #expect(error("folder,email\n,a@x\n") == "roster.csv:2: the roster has no folder; write the learner's folder name in the 'folder' column")
        #expect(error("folder,email\n") == "roster.csv: the roster lists no learners; add a row per learner under the header")
    }

    @Test func aClassFolderMissingFromTheRosterIsNamed() throws {
        let roster = try Roster(text: "folder,email\nalice,a@x\n", path: "roster.csv")
        #expect(throws: RosterError.self) { try roster.absentLearners(graded: ["alice", "zoe"]) }
        do {
            _ = try roster.absentLearners(graded: ["alice", "zoe"])
        } catch {
            #expect(error.description.hasPrefix("roster.csv: the roster has no row for the class folder 'zoe'; add one"))
        }
    }
}
