#!/usr/bin/env python3
"""Hand-written labels for train4/C, kept as Python data. Writes claims.jsonl and questions.jsonl."""
import json, os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MAYOR = "mayor-recount-quillhaven"
RECALL = "recall-halbrecht-corvasse"
LAUNCH = "launch-delay-veyra2"
SUMMIT = "summit-kelvarre-ondrasia"

# (source, question, paragraphs, style)
QUESTIONS = [
    # ---------------- mayor-recount-quillhaven ----------------
    (MAYOR, "By how many votes is the challenger ahead in the Quillhaven mayor's race?", [1, 2], "full"),
    (MAYOR, "What is the deadline for the county to certify the election results?", [13], "full"),
    (MAYOR, "What went wrong with the voting machine at the Lantry Hill precinct on election day?", [6], "full"),
    (MAYOR, "how many provisional ballots still have to be checked", [10], "lowercase"),
    (MAYOR, "what share of registered voters turned out for the mayoral election", [17], "lowercase"),
    (MAYOR, "manual recount price estimate", [14], "fragment"),
    (MAYOR, "Precinct 14 emergency bin ballot total", [7], "fragment"),
    (MAYOR, "Quillhaven new mayor inauguration date", [19], "fragment"),
    (MAYOR, "Has Ruskington conceded defeat?", [4], "yesno"),
    (MAYOR, "Does state law require a recount automatically in a race this close?", [1, 3, 13], "yesno"),
    (MAYOR, "Did the recount in the 2014 treasurer race change the winner?", [18], "yesno"),
    (MAYOR, "How many write-in voets were cast in the mayorel race?", [2], "typo"),
    (MAYOR, "What is the cutoff for mail ballots to arive at the registrar?", [11], "typo"),
    (MAYOR, "Can we confirm that the state foots the bill for a machine recount?", [14], "reporter"),
    (MAYOR, "Is it accurate that the Lantry Hill tabulator was out of action for roughly an hour and a half?", [6], "reporter"),
    (MAYOR, "Who insisted the emergency-bin rules were followed to the letter?", [8], "speaker"),
    (MAYOR, "How did Carrowmere respond to the mayor's call for a manual count?", [5], "speaker"),
    (MAYOR, "What did Ruskington's campaign manager say about covering the cost of a hand count?", [15], "speaker"),
    (MAYOR, "Which political party does Ysolde Carrowmere belong to?", [], "unanswerable"),
    (MAYOR, "What is the name of the poll worker who dealt with the jammed tabulator?", [], "unanswerable"),
    (MAYOR, "Which company made the vote tabulators used in Quillhaven?", [], "unanswerable"),
    (MAYOR, "How many votes did Carrowmere get in Precinct 14?", [], "unanswerable"),
    (MAYOR, "Which judge would hear a court challenge over the recount?", [], "unanswerable"),
    (MAYOR, "How much did the two mayoral campaigns spend in total before election day?", [], "unanswerable"),
    (MAYOR, "How many provisional ballots have been rejected so far?", [], "unanswerable"),
    (MAYOR, "How much did the 2014 treasurer recount cost the county?", [], "unanswerable"),
    (MAYOR, "Who was Ruskington's opponent in the 2022 election?", [], "unanswerable"),
    (MAYOR, "How many observers may each campaign send to watch the Lantry Hill hand count?", [], "unanswerable"),
    (MAYOR, "How do I renew a freshwater fishing licence online?", [], "unanswerable"),
    (MAYOR, "What is the snow forecast for the ski resorts this weekend?", [], "unanswerable"),

    # ---------------- recall-halbrecht-corvasse ----------------
    (RECALL, "How many Corvasse vehicles does the recall cover?", [1], "full"),
    (RECALL, "What weather and battery conditions make the brake fault more likely?", [6], "full"),
    (RECALL, "How much money has the carmaker put aside to pay for the recall?", [13], "full"),
    (RECALL, "how long does the software fix take at a dealership", [9], "lowercase"),
    (RECALL, "how many people were hurt when the cars rolled away", [3], "lowercase"),
    (RECALL, "Halbrecht-Tovey stock fall recall", [14], "fragment"),
    (RECALL, "parking brake repair refund deadline", [11], "fragment"),
    (RECALL, "earlier Corvasse recall fuel line clip", [16], "fragment"),
    (RECALL, "Do owners of a 2025 Corvasse need to bring it to a dealer?", [10], "yesno"),
    (RECALL, "Has anyone been killed because of the parking brake problem?", [3], "yesno"),
    (RECALL, "Is the repair free for owners?", [7], "yesno"),
    (RECALL, "When will recal letters go out to owenrs?", [12], "typo"),
    (RECALL, "Which factory bulit the recalled crossovers?", [2], "typo"),
    (RECALL, "Can we confirm the regulator began looking into the problem in November 2025?", [5], "reporter"),
    (RECALL, "Is it accurate that the Corvasse made up roughly three in ten of the company's home-market sales last year?", [15], "reporter"),
    (RECALL, "Who described a car moving by itself while parked as one of the most dangerous defects?", [4], "speaker"),
    (RECALL, "What did the consumer union's director say about how the carmaker handled the complaints?", [17], "speaker"),
    (RECALL, "What did Quenneville-Dorr say about the remedy?", [7], "speaker"),
    (RECALL, "Which supplier makes the Corvasse brake control module?", [], "unanswerable"),
    (RECALL, "How many recalled Corvasse vehicles were sold abroad?", [], "unanswerable"),
    (RECALL, "What does a new Corvasse cost?", [], "unanswerable"),
    (RECALL, "Who is Halbrecht-Tovey's chief executive?", [], "unanswerable"),
    (RECALL, "In which towns did the roll-away incidents happen?", [], "unanswerable"),
    (RECALL, "How many dealerships does Halbrecht-Tovey have?", [], "unanswerable"),
    (RECALL, "What is the phone number of Halbrecht-Tovey's customer line?", [], "unanswerable"),
    (RECALL, "How much did the October 2024 fuel-line recall cost the company?", [], "unanswerable"),
    (RECALL, "Has the directorate fined Halbrecht-Tovey in the past?", [], "unanswerable"),
    (RECALL, "Which software version fixes the parking brake fault?", [], "unanswerable"),
    (RECALL, "What are the opening hours of the national art museum?", [], "unanswerable"),
    (RECALL, "How often should tomatoes in containers be watered?", [], "unanswerable"),

    # ---------------- launch-delay-veyra2 ----------------
    (LAUNCH, "What is the new earliest date for the Veyra-2 launch?", [2], "full"),
    (LAUNCH, "Which component inside the reaction wheel was blamed for the torque spike?", [7], "full"),
    (LAUNCH, "How much extra will the postponement cost the mission?", [9], "full"),
    (LAUNCH, "how heavy is the veyra 2 spacecraft", [11], "lowercase"),
    (LAUNCH, "in how many countries has veyra 1 data been used", [18], "lowercase"),
    (LAUNCH, "Veyra-2 radar ice thickness precision", [12], "fragment"),
    (LAUNCH, "replacement reaction wheels delivery timeframe", [8], "fragment"),
    (LAUNCH, "Veyra-1 science data stopped when", [14], "fragment"),
    (LAUNCH, "Is the agency swapping out only the faulty reaction wheel?", [7], "yesno"),
    (LAUNCH, "Will the extra cost be taken out of other missions' budgets?", [9], "yesno"),
    (LAUNCH, "Can Veyra-2 still aim its radar accurately with only three reaction wheels working?", [4], "yesno"),
    (LAUNCH, "How high above Earth will the satelite orbit?", [11], "typo"),
    (LAUNCH, "How many engeneers and technicians work on the mission?", [16], "typo"),
    (LAUNCH, "Can we confirm the torque spike was roughly 14 percent over the design limit?", [5], "reporter"),
    (LAUNCH, "Is it accurate that Veyra-2 data will be free to download within three hours of each pass?", [18], "reporter"),
    (LAUNCH, "Who said the agency would rather launch late than launch with a doubt?", [3], "speaker"),
    (LAUNCH, "What did the Pellingford glaciologist say about the gap in ice measurements?", [15], "speaker"),
    (LAUNCH, "What did Grennick Dynamics' spokesperson say about the spare wheels?", [8], "speaker"),
    (LAUNCH, "At what time of day is the Veyra-2 launch planned?", [], "unanswerable"),
    (LAUNCH, "How much does one reaction wheel cost?", [], "unanswerable"),
    (LAUNCH, "Who runs Grennick Dynamics?", [], "unanswerable"),
    (LAUNCH, "Is the agency planning a Veyra-3 satellite?", [], "unanswerable"),
    (LAUNCH, "Why did the bearing in wheel No. 3 go wrong?", [], "unanswerable"),
    (LAUNCH, "How much did the Veyra-1 mission cost?", [], "unanswerable"),
    (LAUNCH, "Which rocket carried Veyra-1 into orbit?", [], "unanswerable"),
    (LAUNCH, "How large is the agency's contingency reserve?", [], "unanswerable"),
    (LAUNCH, "How many times has the Corrant-5 rocket flown before?", [], "unanswerable"),
    (LAUNCH, "Who built the radar instrument on Veyra-2?", [], "unanswerable"),
    (LAUNCH, "What is the best way to descale an electric kettle?", [], "unanswerable"),
    (LAUNCH, "Who won the men's final at the national squash open?", [], "unanswerable"),

    # ---------------- summit-kelvarre-ondrasia ----------------
    (SUMMIT, "What percentage of goods will become duty-free under the pact?", [2], "full"),
    (SUMMIT, "What was the value of trade between Kelvarre and Ondrasia last year?", [6], "full"),
    (SUMMIT, "When do officials hope the trade deal will come into force?", [14], "full"),
    (SUMMIT, "how long did the tractors block the road into miravesk", [12], "lowercase"),
    (SUMMIT, "when are the separate fishing talks due to start", [15], "lowercase"),
    (SUMMIT, "Ondrasia machinery tariff removal", [8], "fragment"),
    (SUMMIT, "Dessock Pass rail study due date", [16], "fragment"),
    (SUMMIT, "Kelvarre citrus duty phase-out", [9], "fragment"),
    (SUMMIT, "Does the agreement settle the fishing rights dispute in the Gulf of Sennary?", [15], "yesno"),
    (SUMMIT, "Did the negotiations run past midnight?", [1, 5], "yesno"),
    (SUMMIT, "Does Talwenne's coalition have a majority in the Ondrasian parliament?", [14], "yesno"),
    (SUMMIT, "How much duty-free wheet can Kelvarre ship to Ondrasia each yaer?", [10], "typo"),
    (SUMMIT, "In which city did the sumit take place?", [1], "typo"),
    (SUMMIT, "Can we confirm that around 1,500 farmers took part in the protest?", [12], "reporter"),
    (SUMMIT, "Is it accurate that no Kelvarran head of state had visited Ondrasia for more than a decade?", [18], "reporter"),
    (SUMMIT, "Who called the agreement a bridge built from both banks at once?", [4], "speaker"),
    (SUMMIT, "What did Kelvarre's trade minister say about the wheat quota?", [11], "speaker"),
    (SUMMIT, "What did the head of the grain growers' federation say about the government?", [13], "speaker"),
    (SUMMIT, "How long has Sefira Talwenne been prime minister?", [], "unanswerable"),
    (SUMMIT, "How much did Ondrasia spend hosting the summit?", [], "unanswerable"),
    (SUMMIT, "Which goods are left out of the tariff cuts?", [], "unanswerable"),
    (SUMMIT, "On what date will the Ondrasian parliament vote on the agreement?", [], "unanswerable"),
    (SUMMIT, "How much would it cost to reopen the Dessock Pass freight line?", [], "unanswerable"),
    (SUMMIT, "What tariff does Kelvarre charge on Ondrasian wine?", [], "unanswerable"),
    (SUMMIT, "How many police officers were on duty at the farmers' protest?", [], "unanswerable"),
    (SUMMIT, "How many seats does Druvitz-Oakley's party hold in the Kelvarran parliament?", [], "unanswerable"),
    (SUMMIT, "Were any protesters arrested during the tractor blockade?", [], "unanswerable"),
    (SUMMIT, "How much Kelvarran wheat did Ondrasia import last year?", [], "unanswerable"),
    (SUMMIT, "How do I reset my home Wi-Fi router?", [], "unanswerable"),
    (SUMMIT, "What time does the city zoo close in winter?", [], "unanswerable"),
]

S, C, N = "supported", "contradicted", "not_in_story"
# (source, claim, verdict, paragraphs, kind)
CLAIMS = [
    # ---------------- mayor-recount-quillhaven ----------------
    (MAYOR, "Carrowmere, who is serving her second term on the city council, edged ahead of the sitting mayor in the unofficial count.", S, [1, 2], "paraphrase"),
    (MAYOR, "Ballots cast in Lantry Hill while the scanner was broken were held in a sealed container and run through another machine once voting ended.", S, [6], "paraphrase"),
    (MAYOR, "The county's chief election official said nothing suggests any Lantry Hill ballot went missing or was tallied twice.", S, [8], "quote_attribution"),
    (MAYOR, "Ruskington vowed not to give up the race before a manual count is finished.", S, [4], "quote_attribution"),
    (MAYOR, "Carrowmere's lead is under 200 votes.", S, [1, 2], "number"),
    (MAYOR, "The Precinct 14 tabulator was out of service for 90 minutes.", S, [6], "number"),
    (MAYOR, "The registrar estimated that a hand count would cost between $96,000 and $150,000.", C, [14], "number_changed"),
    (MAYOR, "Ruskington won re-election in 2022 by more than 19,000 votes.", C, [16], "number_changed"),
    (MAYOR, "Carrowmere said she would name her transition staff before the result is certified.", C, [19], "negation"),
    (MAYOR, "The registrar said the seal numbers on the emergency bin did not match the log.", C, [8], "negation"),
    (MAYOR, "Dallimore said every vote in Quillhaven deserves to be seen by human eyes and not just a scanner.", C, [4], "wrong_speaker"),
    (MAYOR, "Ruskington gave his 9:30 a.m. news conference in Lantry Hill.", C, [4], "wrong_entity"),
    (MAYOR, "Carrowmere's campaign outspent Ruskington's by two to one.", N, [], "on_topic_missing"),
    (MAYOR, "A judge has ordered the Lantry Hill emergency-bin ballots to be counted by hand.", N, [], "on_topic_missing"),
    (MAYOR, "The tabulator that jammed in Precinct 14 was more than ten years old.", N, [], "on_topic_missing"),
    (MAYOR, "A new ferry route will link two coastal towns next spring.", N, [], "off_topic"),

    # ---------------- recall-halbrecht-corvasse ----------------
    (RECALL, "Halbrecht-Tovey consented to the recall before regulators had completed their formal review.", S, [5], "paraphrase"),
    (RECALL, "Owners of the newest model-year Corvasse will get the fix wirelessly, with no trip to a dealership.", S, [10], "paraphrase"),
    (RECALL, "The carmaker's quality chief apologised to customers for the concern the defect had caused.", S, [7], "quote_attribution"),
    (RECALL, "A consumer group leader accused the company of stalling while owners kept complaining.", S, [17], "quote_attribution"),
    (RECALL, "Nearly a quarter of the reported roll-away incidents ended with the vehicle hitting something.", S, [3], "number"),
    (RECALL, "More than 150,000 of the recalled crossovers will need a dealer visit.", S, [9], "number"),
    (RECALL, "Halbrecht-Tovey shares fell 4.3 percent to $52.18.", C, [14], "number_changed"),
    (RECALL, "The directorate said it had received 83 reports of parked Corvasse vehicles rolling away.", C, [3], "number_changed"),
    (RECALL, "Halbrecht-Tovey said the fault lies in the battery hardware rather than in software.", C, [6], "negation"),
    (RECALL, "Owners of 2023 Corvasse models can receive the update over the air without visiting a dealer.", C, [9], "negation"),
    (RECALL, "Quenneville-Dorr said a parked car that moves on its own is one of the most dangerous defects.", C, [4], "wrong_speaker"),
    (RECALL, "The recall documents were filed with the Motor Retailers' Guild.", C, [2], "wrong_entity"),
    (RECALL, "The faulty brake software was written by an outside supplier.", N, [], "on_topic_missing"),
    (RECALL, "Halbrecht-Tovey will give owners loan cars while they wait for repairs.", N, [], "on_topic_missing"),
    (RECALL, "The directorate fined Halbrecht-Tovey over the 2024 fuel-line recall.", N, [], "on_topic_missing"),
    (RECALL, "The national rail operator will add night trains on its coastal line this summer.", N, [], "off_topic"),

    # ---------------- launch-delay-veyra2 ----------------
    (LAUNCH, "The agency opted to change every reaction wheel because all of them came out of the same batch.", S, [7], "paraphrase"),
    (LAUNCH, "Veyra-1 stopped delivering science data in June 2026 once its final working reaction wheel broke down.", S, [14], "paraphrase"),
    (LAUNCH, "The project manager said the team does not accept 'probably' when it comes to flight hardware.", S, [6], "quote_attribution"),
    (LAUNCH, "A University of Pellingford scientist warned that a satellite failing in orbit would set researchers back years.", S, [15], "quote_attribution"),
    (LAUNCH, "The new launch window lasts three weeks.", S, [2], "number"),
    (LAUNCH, "Veyra-2 weighs less than two tonnes.", S, [11], "number"),
    (LAUNCH, "Veyra-2 carries enough fuel to stretch its mission to 12 years.", C, [13], "number_changed"),
    (LAUNCH, "About 320 engineers and technicians work on the Veyra-2 mission.", C, [16], "number_changed"),
    (LAUNCH, "Stelligard said the new launch date clashes with launches for other customers.", C, [17], "negation"),
    (LAUNCH, "Frenwick-Osei said the wheel stopped spinning during the shake test.", C, [6], "negation"),
    (LAUNCH, "Carrodine said the satellite has to work for seven years and no technician can be sent up to fix it.", C, [3], "wrong_speaker"),
    (LAUNCH, "Veyra-2 is being integrated and tested at the Ulmsby Launch Complex, where 230 engineers work on it.", C, [16], "wrong_entity"),
    (LAUNCH, "Stelligard will charge the agency a storage fee for the Corrant-5 rocket.", N, [], "on_topic_missing"),
    (LAUNCH, "The faulty bearing was caused by a manufacturing error at Grennick Dynamics.", N, [], "on_topic_missing"),
    (LAUNCH, "The agency plans a third Veyra satellite for the 2030s.", N, [], "on_topic_missing"),
    (LAUNCH, "A regional orchestra has named a new conductor for its winter season.", N, [], "off_topic"),

    # ---------------- summit-kelvarre-ondrasia ----------------
    (SUMMIT, "Nearly all goods traded between the two neighbours will be free of duties within seven years of the pact coming into force.", S, [2], "paraphrase"),
    (SUMMIT, "Kelvarran wheat can enter Ondrasia without tariffs up to a yearly cap that grows after five years.", S, [10], "paraphrase"),
    (SUMMIT, "The Ondrasian prime minister hailed the pact as the most significant between the two countries since a 1974 border treaty.", S, [3], "quote_attribution"),
    (SUMMIT, "A Lowmere Institute economist said border regions could feel effects several times bigger than the national figures.", S, [17], "quote_attribution"),
    (SUMMIT, "The two governments want annual trade between them to reach about $17.4 billion by 2032.", S, [6], "number"),
    (SUMMIT, "The Dessock Pass freight line has been shut for about 15 years.", S, [16], "number"),
    (SUMMIT, "The duty-free wheat quota will rise to 600,000 tonnes after five years.", C, [10], "number_changed"),
    (SUMMIT, "Ondrasia will immediately scrap its 15 percent tariff on Kelvarran machinery.", C, [8], "number_changed"),
    (SUMMIT, "The grain growers' federation said it would urge parliament to approve the deal.", C, [13], "negation"),
    (SUMMIT, "The agreement resolves the dispute over fishing rights in the Gulf of Sennary.", C, [15], "negation"),
    (SUMMIT, "Harrowgate-Senn said the two countries chose to be partners rather than rivals.", C, [3], "wrong_speaker"),
    (SUMMIT, "Druvitz-Oakley invited Talwenne to visit Miravesk next year.", C, [18], "wrong_entity"),
    (SUMMIT, "Police arrested a dozen farmers during the tractor blockade.", N, [], "on_topic_missing"),
    (SUMMIT, "The Ondrasian parliament will vote on the deal before its summer recess.", N, [], "on_topic_missing"),
    (SUMMIT, "Reopening the Dessock Pass line is expected to cost $1.2 billion.", N, [], "on_topic_missing"),
    (SUMMIT, "A mountain marathon drew a record 9,000 runners on Sunday.", N, [], "off_topic"),
]


def main():
    with open(os.path.join(ROOT, "questions.jsonl"), "w", encoding="utf-8") as f:
        for src, q, paras, style in QUESTIONS:
            f.write(json.dumps({"source": src, "question": q, "paragraphs": paras, "style": style},
                               ensure_ascii=False) + "\n")
    with open(os.path.join(ROOT, "claims.jsonl"), "w", encoding="utf-8") as f:
        for src, c, verdict, paras, kind in CLAIMS:
            f.write(json.dumps({"source": src, "claim": c, "verdict": verdict, "paragraphs": paras,
                                "kind": kind}, ensure_ascii=False) + "\n")
    print(f"wrote {len(QUESTIONS)} questions, {len(CLAIMS)} claims")


if __name__ == "__main__":
    main()
