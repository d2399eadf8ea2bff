// cpu profile of the real bundle, frames mapped through dist/mlship.cjs.map; aggregates self time by source file
const fs=require("fs");const {SourceMapConsumer}=require("source-map-js");
const dir=process.argv[2];const f=fs.readdirSync(dir).filter(x=>x.endsWith("cpuprofile"));
const smc=new SourceMapConsumer(JSON.parse(fs.readFileSync("dist/mlship.cjs.map","utf8")));
const byFile=new Map();const byFn=new Map();let total=0;
for(const file of f){const p=JSON.parse(fs.readFileSync(dir+"/"+file));
const byId=new Map(p.nodes.map(n=>[n.id,n]));
p.samples.forEach((s,i)=>{const t=p.timeDeltas[i]||0;total+=t;const n=byId.get(s);const cf=n.callFrame;let key;
if(cf.url.endsWith("mlship.cjs")){const o=smc.originalPositionFor({line:cf.lineNumber+1,column:cf.columnNumber});key=(o.source||"?").replace(/^.*node_modules\//,"nm/").replace(/^(\.\.\/)+/,"").replace(/^(nm\/[^/]+).*/,"$1");const fk=key+" "+(o.name||"")+":"+o.line;byFn.set(fk,(byFn.get(fk)||0)+t);}
else key=cf.url?("node:"+cf.url.replace(/^node:/,"").split("/").slice(0,2).join("/")):cf.functionName||"(anon)";
byFile.set(key,(byFile.get(key)||0)+t);});}
console.log("total ms/run",(total/1000/f.length).toFixed(1));
[...byFile].sort((a,b)=>b[1]-a[1]).slice(0,30).forEach(([k,t])=>console.log((t/1000/f.length).toFixed(2),k));
console.log("-- functions");[...byFn].sort((a,b)=>b[1]-a[1]).slice(0,25).forEach(([k,t])=>console.log((t/1000/f.length).toFixed(2),k));
