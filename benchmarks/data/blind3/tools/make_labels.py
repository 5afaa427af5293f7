#!/usr/bin/env python3
"""Write questions.jsonl and claims.jsonl for the blind3 evaluation set.

All labels below were written by hand against the four stories in ../sources.
Paragraph N = the N-th non-empty body line after the front matter (1-based).
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SCHOOL = "harlow-creek-school-budget"
CYCLING = "redmoor-classic-cycling"
TRIAL = "daroxipant-heart-failure-trial"
FIRE = "sable-ridge-fire"

# (source, question, paragraphs, style)
QUESTIONS = [
    # ---------------- school board budget ----------------
    (SCHOOL, "How large is the operating budget the Harlow Creek school board approved?", [1], "full"),
    (SCHOOL, "How many children go to Linden Street Elementary now, and which schools will they move to?", [6], "full"),
    (SCHOOL, "What kind of repairs does the Linden Street building need over the next ten years?", [10], "full"),
    (SCHOOL, "How much does the district expect to save each year by shutting Linden Street?", [10], "full"),
    (SCHOOL, "How many teacher jobs are being eliminated?", [7], "full"),
    (SCHOOL, "what was the final tally of the board vote", [1], "lowercase"),
    (SCHOOL, "which trustees opposed the budget", [4], "lowercase"),
    (SCHOOL, "how much state money does the district lose for each student who leaves", [11], "lowercase"),
    (SCHOOL, "reserve fund balance February", [12], "fragment"),
    (SCHOOL, "upper elementary class size change", [8], "fragment"),
    (SCHOOL, "extra bus routes cost", [16], "fragment"),
    (SCHOOL, "Has the number of students in the district grown since 2019?", [11], "yesno"),
    (SCHOOL, "Is the teachers union going to contest the layoff notices?", [13], "yesno"),
    (SCHOOL, "how many poeple signd up to speek at the meeting", [2], "typo"),
    (SCHOOL, "when is the parcle tax worshop", [18], "typo"),
    (SCHOOL, "what did the union president say about bigger classes", [13], "reporter"),
    (SCHOOL, "how did the Linden Street parent learn the school might close", [14], "reporter"),
    (SCHOOL, "what did the high school student tell the board about the sports cut", [17], "reporter"),
    (SCHOOL, "How much money would the proposed parcel tax raise?", [], "unanswerable"),
    (SCHOOL, "What will happen to the Linden Street building once the school closes?", [], "unanswerable"),
    (SCHOOL, "Who is the principal of Linden Street Elementary?", [], "unanswerable"),
    (SCHOOL, "How many students are currently enrolled at Carver Park Elementary?", [], "unanswerable"),
    (SCHOOL, "When did the Harlow Creek district last close a school?", [], "unanswerable"),
    (SCHOOL, "What is Superintendent Lindqvist's annual salary?", [], "unanswerable"),
    (SCHOOL, "Who won the most recent Harlow Creek mayoral election?", [], "unanswerable"),  # off-topic

    # ---------------- cycling race ----------------
    (CYCLING, "Who won this year's Redmoor Classic?", [1], "full"),
    (CYCLING, "What was the winner's finishing time?", [2], "full"),
    (CYCLING, "On which part of the course did the big crash happen?", [3], "full"),
    (CYCLING, "Where was the defending champion taken after he crashed?", [5], "full"),
    (CYCLING, "how many riders came down in the crash", [3], "lowercase"),
    (CYCLING, "how many of the starters made it to the finish", [9], "lowercase"),
    (CYCLING, "why was the race longer than planned this year", [7], "lowercase"),
    (CYCLING, "detour length", [7], "fragment"),
    (CYCLING, "winner's prize money", [11], "fragment"),
    (CYCLING, "crowd size along route", [16], "fragment"),
    (CYCLING, "Did the organisers neutralise the race after the crash?", [6], "yesno"),
    (CYCLING, "Had Brenner ever won the Redmoor Classic before this year?", [13, 14], "yesno"),
    (CYCLING, "Will Brenner ride in the Torvald Grand Prix next weekend?", [18], "yesno"),
    (CYCLING, "who finshed secnd in the redmoor clasic", [2], "typo"),
    (CYCLING, "how meny cobbled secters were on the corse", [10], "typo"),
    (CYCLING, "what did the sporting director say about the crash", [4], "reporter"),
    (CYCLING, "what reason did the race director give for not stopping the race", [6], "reporter"),
    (CYCLING, "what did the runner-up tell the Courier about the finale", [17], "reporter"),
    (CYCLING, "Which rider touched wheels and set off the crash on the Hollin Ridge descent?", [], "unanswerable"),
    (CYCLING, "How much prize money did Marchetti earn for finishing second?", [], "unanswerable"),
    (CYCLING, "How many weeks is Ortuño expected to be out of racing?", [], "unanswerable"),
    (CYCLING, "Who won the women's Redmoor Classic?", [], "unanswerable"),
    (CYCLING, "What was the name of the team Brenner rode for before he joined Ostara?", [], "unanswerable"),
    (CYCLING, "How much did the Pellmouth detour cost the race organisers?", [], "unanswerable"),
    (CYCLING, "Who won the national football cup final this weekend?", [], "unanswerable"),  # off-topic

    # ---------------- heart failure trial ----------------
    (TRIAL, "What share of patients on the drug died of heart causes or were hospitalised for heart failure during the study?", [4], "full"),
    (TRIAL, "Who paid for the daroxipant study?", [2], "full"),
    (TRIAL, "How many hospitals took part in the trial?", [3], "full"),
    (TRIAL, "How many participants will researchers keep following, and for how long?", [18], "full"),
    (TRIAL, "how long were the patients followed on average", [3], "lowercase"),
    (TRIAL, "what side effect was reported most often", [10], "lowercase"),
    (TRIAL, "did the pill lower deaths from heart disease", [8, 13], "lowercase"),
    (TRIAL, "daroxipant daily dose", [3], "fragment"),
    (TRIAL, "proportion of women participants", [12], "fragment"),
    (TRIAL, "Corveth stock move", [15], "fragment"),
    (TRIAL, "Did the drug show a clear benefit in patients aged 80 and older?", [11], "yesno"),
    (TRIAL, "Does the retired bus driver know whether he was given the real drug?", [16], "yesno"),
    (TRIAL, "how many pateints stoped the drug becuase of side efects", [9], "typo"),
    (TRIAL, "when will corveth aply to the FDA for aproval", [14], "typo"),
    (TRIAL, "what did the outside cardiologist think of the results", [13], "reporter"),
    (TRIAL, "what did the lead investigator say about how many patients need treating to prevent one event", [5], "reporter"),
    (TRIAL, "what did the nurse who handled enrolment say was hardest", [17], "reporter"),
    (TRIAL, "How much will daroxipant cost patients?", [], "unanswerable"),
    (TRIAL, "When is the FDA expected to make a decision on daroxipant?", [], "unanswerable"),
    (TRIAL, "How does daroxipant work in the body?", [], "unanswerable"),
    (TRIAL, "Which 11 countries took part in the BEACON-HF trial?", [], "unanswerable"),
    (TRIAL, "How much did the BEACON-HF trial cost to run?", [], "unanswerable"),
    (TRIAL, "How many patients were enrolled at St. Anselm's Hospital?", [], "unanswerable"),
    (TRIAL, "Were any deaths in the trial blamed on daroxipant itself?", [], "unanswerable"),

    # ---------------- wildfire ----------------
    (FIRE, "How large had the Sable Ridge Fire grown by Monday evening?", [1], "full"),
    (FIRE, "When and where did the fire begin?", [2], "full"),
    (FIRE, "How many houses has the fire destroyed?", [2], "full"),
    (FIRE, "Which earlier fire in the county was bigger than this one?", [16], "full"),
    (FIRE, "how many people are under evacuation orders", [2], "lowercase"),
    (FIRE, "until when is the red flag warning in effect", [9], "lowercase"),
    (FIRE, "how many horses were brought to the fairgrounds", [13], "lowercase"),
    (FIRE, "containment percentage", [1], "fragment"),
    (FIRE, "Route 61 closure length", [11], "fragment"),
    (FIRE, "customers without power", [12], "fragment"),
    (FIRE, "Have any firefighters been hurt?", [8], "yesno"),
    (FIRE, "Has a state of emergency been declared for the county?", [16], "yesno"),
    (FIRE, "how many firefigthers are working the fire", [8], "typo"),
    (FIRE, "wen was eagle holow told to evacuate", [7], "typo"),
    (FIRE, "what did the sheriff say about residents who refused to leave", [10], "reporter"),
    (FIRE, "what did the incident commander say about how the fire is behaving at night", [3], "reporter"),
    (FIRE, "what did the weather service meteorologist say about new fires", [9], "reporter"),
    (FIRE, "What started the Sable Ridge Fire?", [], "unanswerable"),
    (FIRE, "How much has fighting the fire cost so far?", [], "unanswerable"),
    (FIRE, "When will Marlow Springs residents be allowed to return home?", [], "unanswerable"),
    (FIRE, "When will electricity be restored to the customers who lost power?", [], "unanswerable"),
    (FIRE, "How many of the firefighters came from outside the state?", [], "unanswerable"),
    (FIRE, "What are the names of the firefighters treated for heat exhaustion?", [], "unanswerable"),
    (FIRE, "Who coaches the Dunnock High School football team?", [], "unanswerable"),  # off-topic
]

# (source, claim, verdict, paragraphs, reason)
CLAIMS = [
    # ---------------- school board budget ----------------
    (SCHOOL, "The board passed the spending plan by a margin of five votes to two.", "supported", [1],
     "P1: the board voted 5-2 to approve the budget (paraphrase)."),
    (SCHOOL, "Nearly 300 pupils from Linden Street will be split between two other elementary schools.", "supported", [6],
     "P6: its 287 students are reassigned to Carver Park and Westfield (paraphrase, 287 ~ nearly 300)."),
    (SCHOOL, "Roughly one in eight students has left the district since 2019.", "supported", [11],
     "P11: enrollment fell from 9,840 to 8,615, about 12% (paraphrase, ~1/8)."),
    (SCHOOL, "The district's reserves were only about half a percentage point above the state-required minimum.", "supported", [12],
     "P12: reserves were about 2.5% of spending against a 2% state minimum (paraphrase)."),
    (SCHOOL, "The union representing about 520 teachers said it would file a grievance over the preliminary layoff notices.", "supported", [13],
     "P13: the Harlow Creek Education Association, about 520 teachers, will file a grievance over the notices."),
    (SCHOOL, "The budget eliminates 53 positions.", "contradicted", [1, 7],
     "P7: the budget eliminates 41 positions, not 53 (number changed)."),
    (SCHOOL, "Trustee Ruth Abernathy argued that a parcel tax should have gone before voters in November before any school was closed.", "contradicted", [4],
     "P4: it was Gregory Tamsin who made the parcel tax argument; Abernathy objected to the timeline (speaker swapped)."),
    (SCHOOL, "Linden Street Elementary was built in 1968.", "contradicted", [10],
     "P10: the school was built in 1958 (year changed)."),
    (SCHOOL, "The district is increasing its contribution to after-school sports by 22%.", "contradicted", [9],
     "P9: the contribution is reduced by 22%, to $410,000 (outcome reversed)."),
    (SCHOOL, "The board's parcel tax workshop is scheduled for Wednesday, April 15.", "contradicted", [18],
     "P18: the workshop is on Wednesday, April 8 (date changed)."),
    (SCHOOL, "The district intends to sell the Linden Street property to a housing developer.", "not_in_story", [],
     "Not stated: the story never says what will happen to the Linden Street building or site."),
    (SCHOOL, "Superintendent Lindqvist will take a pay cut under the new budget.", "not_in_story", [],
     "Not stated: the story gives no information about the superintendent's pay."),

    # ---------------- cycling race ----------------
    (CYCLING, "Brenner averaged just over 41 kilometres per hour over the course.", "supported", [2],
     "P2: his average speed was 41.2 km/h (paraphrase)."),
    (CYCLING, "More than 20 riders hit the ground in the crash on the way down from Hollin Ridge.", "supported", [3],
     "P3: at least 23 riders went down on the descent from Hollin Ridge (paraphrase)."),
    (CYCLING, "Fewer than 100 of the riders who started reached the finish line.", "supported", [9],
     "P9: 98 of 176 starters reached the finish (paraphrase)."),
    (CYCLING, "Police figures suggest the roadside crowd grew by about a quarter compared with last year.", "supported", [16],
     "P16: 65,000 spectators, up from 52,000 last year, a 25% rise (paraphrase)."),
    (CYCLING, "Ortuño was taken to Valemont General Hospital by ambulance.", "supported", [5],
     "P5: a Velox-Iberia spokesperson said he was taken by ambulance to Valemont General Hospital."),
    (CYCLING, "Ortuño crashed on the Sallow Lane cobbles.", "contradicted", [3],
     "P3: the crash was on the wet descent from Hollin Ridge; Sallow Lane is where Brenner attacked (place changed)."),
    (CYCLING, "Four other riders were treated at the roadside and carried on.", "contradicted", [5],
     "P5: two other riders were treated at the roadside (count of people changed)."),
    (CYCLING, "Marchetti launched the decisive attack with 12 km to go.", "contradicted", [12],
     "P12: Brenner launched the decisive attack; Marchetti and Aagaard bridged across (who did it changed)."),
    (CYCLING, "Only about 46% of the riders who started reached the finish.", "contradicted", [9],
     "P9: the completion rate was about 56% (percentage changed)."),
    (CYCLING, "The descent from Hollin Ridge was dry when the crash happened.", "contradicted", [3],
     "P3: it was the wet descent from Hollin Ridge (antonym: wet -> dry)."),
    (CYCLING, "Ortuño's team has lodged a formal complaint with the organisers about the descent.", "not_in_story", [],
     "Not stated: the sporting director criticised the road but no complaint is mentioned."),
    (CYCLING, "Brenner has signed a contract extension with Ostara Cycling.", "not_in_story", [],
     "Not stated: the story says nothing about Brenner's contract."),

    # ---------------- heart failure trial ----------------
    (TRIAL, "Roughly 3,400 people with long-term heart failure took part in the study.", "supported", [1, 3],
     "P3: the trial enrolled 3,412 adults with chronic heart failure (paraphrase)."),
    (TRIAL, "Fewer than a third of the trial's participants were women.", "supported", [12],
     "P12: women made up 31% of participants (paraphrase)."),
    (TRIAL, "Dizziness showed up more often among patients given daroxipant than among those given a dummy pill.", "supported", [10],
     "P10: dizziness was reported by 11.3% on the drug versus 6.8% on placebo (paraphrase)."),
    (TRIAL, "The company that makes the drug financed the trial.", "supported", [2],
     "P2: Corveth Therapeutics, which makes daroxipant, paid for the study (paraphrase)."),
    (TRIAL, "Corveth's shares gained 14% on Wednesday, closing at $38.60.", "supported", [15],
     "P15: shares of Corveth rose 14% on Wednesday to close at $38.60."),
    (TRIAL, "The trial was run at 46 hospitals.", "contradicted", [3],
     "P3: the trial was run at 64 hospitals (number changed)."),
    (TRIAL, "Heart failure hospitalisations fell from 17.2% on placebo to 10.9% on daroxipant.", "contradicted", [7],
     "P7: they fell to 12.9% on daroxipant (percentage changed)."),
    (TRIAL, "Daroxipant significantly reduced cardiovascular deaths.", "contradicted", [8],
     "P8: the difference in cardiovascular deaths was not statistically significant (outcome reversed)."),
    (TRIAL, "The researchers reported the results on Tuesday.", "contradicted", [1],
     "P1: the results were reported on Wednesday (weekday changed)."),
    (TRIAL, "The drug's benefit was stronger in patients aged 80 or over.", "contradicted", [11],
     "P11: the benefit was weaker in older patients (antonym: weaker -> stronger)."),
    (TRIAL, "Daroxipant is expected to cost about $500 a month.", "not_in_story", [],
     "Not stated: the story gives no price for the drug."),
    (TRIAL, "The FDA has granted daroxipant fast-track designation.", "not_in_story", [],
     "Not stated: the story only says Corveth plans to file with the FDA; no designation is mentioned."),

    # ---------------- wildfire ----------------
    (FIRE, "Roughly an eighth of the fire had been contained by Monday evening.", "supported", [1],
     "P1: the fire was 12% contained by Monday evening (paraphrase, ~1/8)."),
    (FIRE, "Close to 3,000 people were told to leave Marlow Springs on Saturday night.", "supported", [5],
     "P5: all of Marlow Springs, about 2,900 residents, was ordered out Saturday night (paraphrase)."),
    (FIRE, "Upwards of 1,100 personnel were working on the fire, backed by more than a dozen aircraft.", "supported", [8],
     "P8: more than 1,150 firefighters and support staff and 14 aircraft were assigned (paraphrase)."),
    (FIRE, "The local utility deliberately switched off electricity to about 8,300 customers to avoid sparking new fires.", "supported", [12],
     "P12: Corlan Valley Electric cut power to about 8,300 customers as a precaution (paraphrase)."),
    (FIRE, "The 2019 Tanager Fire burned 26,700 acres.", "supported", [16],
     "P16: the 2019 Tanager Fire burned 26,700 acres over 23 days."),
    (FIRE, "Three firefighters were treated for heat exhaustion on Sunday.", "contradicted", [8],
     "P8: two firefighters were treated for heat exhaustion (count of people changed)."),
    (FIRE, "The evacuation shelter housing 212 people was set up at the Ashby Grange Hall.", "contradicted", [13],
     "P13: the shelter is at Dunnock High School; the Grange Hall hosts the community meeting (place changed)."),
    (FIRE, "Sheriff Dale Overstreet said the fire was moving faster than anything seen last summer.", "contradicted", [3],
     "P3: incident commander Rosalind Ferrante said this (speaker swapped)."),
    (FIRE, "The evacuation orders were issued by the Corlan County Fire Protection District.", "contradicted", [4],
     "P4: the orders were issued by the Corlan County Sheriff's Office (who did it changed)."),
    (FIRE, "It is the county's largest fire since the 2021 Tanager Fire.", "contradicted", [16],
     "P16: the Tanager Fire was in 2019 (year changed)."),
    (FIRE, "Investigators believe a downed power line sparked the Sable Ridge Fire.", "not_in_story", [],
     "Not stated: the story does not give any cause for the fire."),
    (FIRE, "The cost of fighting the fire has already passed $10 million.", "not_in_story", [],
     "Not stated: the story gives no firefighting cost."),
]


def main():
    with open(os.path.join(ROOT, "questions.jsonl"), "w", encoding="utf-8") as f:
        for src, q, paras, style in QUESTIONS:
            f.write(json.dumps({"source": src, "question": q, "paragraphs": sorted(paras), "style": style},
                               ensure_ascii=False) + "\n")
    with open(os.path.join(ROOT, "claims.jsonl"), "w", encoding="utf-8") as f:
        for src, c, verdict, paras, reason in CLAIMS:
            f.write(json.dumps({"source": src, "claim": c, "verdict": verdict, "paragraphs": sorted(paras),
                                "reason": reason}, ensure_ascii=False) + "\n")
    print("wrote %d questions, %d claims" % (len(QUESTIONS), len(CLAIMS)))


if __name__ == "__main__":
    main()
